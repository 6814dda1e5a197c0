package io.sluice.cli;

import io.sluice.client.ExportsApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice exports}: export links. */
@Command(
    name = "exports",
    mixinStandardHelpOptions = true,
    description = "Export links: list, create, revoke.")
final class ExportsCommand extends Group {

  static final String[] COLUMNS = {
    "id", "scope", "pool", "format", "expiresAt", "revokedAt", "downloads", "createdBy"
  };

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List export links.")
  void list() {
    out().list(api().exports().list().items(), COLUMNS);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create an export link; its URL is shown once.")
  void create(
      @Option(names = "--scope", required = true, description = "users, pools or dedicated")
          String scope,
      @Option(names = "--format", defaultValue = "txt", description = "txt, csv or json")
          String format,
      @Option(names = "--pool", description = "The pool, for --scope pools") String pool,
      @Option(names = "--ttl", paramLabel = "MINUTES", description = "Lifetime in minutes")
          Integer ttl,
      @Option(names = "--bind", paramLabel = "CIDR", description = "Only from these addresses")
          String bind) {
    out().object(api().exports().create(new ExportsApi.NewExport(scope, pool, format, ttl, bind)));
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke an export link at once.")
  void revoke(@Parameters(paramLabel = "ID") String id) {
    api().exports().revoke(id);
    out().note("Revoked export " + id + ".");
  }
}
