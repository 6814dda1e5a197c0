/**
 * The {@code sluice} command line ({@code target/sluice-cli.jar}, launcher {@code scripts/sluice}):
 * picocli commands over the typed client {@link io.sluice.client.SluiceClient}. {@link
 * io.sluice.cli.SluiceCli} is the root command and holds the global options; one class per command
 * group ({@code users}, {@code exits}, ...); {@link io.sluice.cli.Output} renders tables, JSON and
 * CSV; {@link io.sluice.cli.CredentialsStore} keeps the login in {@code ~/.config/sluice/} with
 * mode 0600; {@link io.sluice.cli.ExitCodes} maps problem documents to exit codes.
 *
 * <p>A leaf: it depends on {@code io.sluice.client}, picocli, Jackson and the JDK only, never on a
 * server package (checked by {@code ArchitectureTest}).
 */
package io.sluice.cli;
