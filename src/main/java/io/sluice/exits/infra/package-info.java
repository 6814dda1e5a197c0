/**
 * Adapters of the exits domain's ports: the JPA repositories ({@code Jpa*}: exits, pools,
 * providers, checks, dedicated assignments and the exit-monitor lease, the only native SQL of the
 * feature) and exit health probing: {@link io.sluice.exits.infra.ExitProbe} ({@link
 * io.sluice.exits.domain.ExitProber}, produced by {@link io.sluice.exits.infra.ExitProbes}) fetches
 * an IP-echo URL through an exit with the engine's {@link io.sluice.engine.probe.ProbeClient} (the
 * connectors that carry user traffic) and reports the public address it egresses from.
 */
package io.sluice.exits.infra;
