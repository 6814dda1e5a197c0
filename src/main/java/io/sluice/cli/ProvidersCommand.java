package io.sluice.cli;

import io.sluice.client.ProvidersApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice providers}: upstream providers, one exit per port of a range. */
@Command(
    name = "providers",
    mixinStandardHelpOptions = true,
    description = "Providers: list, show, create, rm.")
final class ProvidersCommand extends Group {

  static final String[] COLUMNS = {
    "id", "name", "kind", "host", "portFrom", "portTo", "country", "exits", "retired"
  };

  private ProvidersApi providers() {
    return api().providers();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List providers.")
  void list() {
    out().list(providers().list().items(), COLUMNS);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one provider.")
  void show(@Parameters(paramLabel = "ID") String id) {
    out().object(providers().get(id("provider", id)));
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a provider and one exit per port of --ports.")
  void create(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--kind", required = true, description = "socks5 or http") String kind,
      @Option(names = "--host", required = true) String host,
      @Option(names = "--ports", required = true, paramLabel = "FROM-TO") String ports,
      @Option(names = "--username") String username,
      @Option(names = "--password-stdin") boolean passwordStdin,
      @Option(names = "--username-template") String template,
      @Option(names = "--country") String country,
      @Option(names = "--check-url") String checkUrl,
      @Option(names = "--pool", description = "Add the exits to this pool") String pool) {
    String[] range = ports.split("-", 2);
    int from;
    int to;
    try {
      from = Integer.parseInt(range[0].strip());
      to = range.length == 2 ? Integer.parseInt(range[1].strip()) : from;
    } catch (NumberFormatException e) {
      throw new CliException(ExitCodes.USAGE, "--ports must be FROM-TO, e.g. 10000-10009");
    }
    String password = passwordStdin ? secretFromStdin("provider password") : null;
    out()
        .object(
            providers()
                .create(
                    new ProvidersApi.NewProvider(
                        name, kind, host, from, to, username, template, password, country, checkUrl,
                        null, pool)));
  }

  @Command(
      name = "rm",
      aliases = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a provider and its exits.")
  void rm(@Parameters(paramLabel = "ID") String id) {
    long provider = id("provider", id);
    providers().delete(provider);
    out().note("Deleted provider " + provider + ".");
  }
}
