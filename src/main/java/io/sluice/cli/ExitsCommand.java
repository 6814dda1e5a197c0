package io.sluice.cli;

import io.sluice.client.ExitsApi;
import io.sluice.client.Page;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice exits}: exits and their health checks. */
@Command(
    name = "exits",
    mixinStandardHelpOptions = true,
    description = "Exits: list, show, create, rm, enable, disable, check, check-all.")
final class ExitsCommand extends Group {

  static final String[] COLUMNS = {
    "id", "name", "kind", "host", "port", "country", "state", "enabled", "pools", "latencyMs"
  };

  private ExitsApi exits() {
    return api().exits();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List exits.")
  void list(
      @Option(names = "--pool") String pool,
      @Option(names = "--state", description = "healthy, suspect, unhealthy, disabled")
          String state,
      @Option(names = "--country") String country,
      @Option(names = "--provider", paramLabel = "ID") Long provider,
      @Option(names = "--page", defaultValue = "0") int page,
      @Option(names = "--size", defaultValue = "50") int size) {
    Page<ExitsApi.Exit> p = exits().list(pool, state, country, provider, page, size);
    out().list(p.items(), COLUMNS);
    out().note("page " + p.page() + ", " + p.items().size() + " of " + p.total());
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one exit.")
  void show(@Parameters(paramLabel = "ID") String id) {
    out().object(exits().get(id("exit", id)));
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create an exit: direct (a local address), socks5 or http (an upstream proxy).")
  void create(
      @Parameters(paramLabel = "NAME") String name,
      @Option(names = "--kind", required = true, description = "direct, socks5 or http")
          String kind,
      @Option(names = "--host") String host,
      @Option(names = "--port") Integer port,
      @Option(names = "--username") String username,
      @Option(
              names = "--password-stdin",
              description = "Read the upstream password from standard input")
          boolean passwordStdin,
      @Option(names = "--username-template") String template,
      @Option(names = "--local-address") String localAddress,
      @Option(names = "--country", description = "Two letters") String country,
      @Option(names = "--expected-ip") String expectedIp,
      @Option(names = "--check-url") String checkUrl) {
    String password = passwordStdin ? secretFromStdin("exit password") : null;
    out()
        .object(
            exits()
                .create(
                    new ExitsApi.NewExit(
                        name,
                        kind,
                        host,
                        port,
                        username,
                        password,
                        template,
                        localAddress,
                        country,
                        null,
                        expectedIp,
                        checkUrl)));
  }

  @Command(
      name = "rm",
      aliases = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete an exit.")
  void rm(@Parameters(paramLabel = "ID") String id) {
    long exit = id("exit", id);
    exits().delete(exit);
    out().note("Deleted exit " + exit + ".");
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable an exit.")
  void enable(@Parameters(paramLabel = "ID") String id) {
    out().object(exits().update(id("exit", id), Map.of("enabled", true)));
  }

  @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable an exit.")
  void disable(@Parameters(paramLabel = "ID") String id) {
    out().object(exits().update(id("exit", id), Map.of("enabled", false)));
  }

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = "Check one exit now, through the exit.")
  void check(@Parameters(paramLabel = "ID") String id) {
    out().object(exits().check(id("exit", id)));
  }

  @Command(
      name = "check-all",
      mixinStandardHelpOptions = true,
      description = "Check all enabled exits (or a pool's) and wait for the summary.")
  void checkAll(
      @Option(names = "--pool") String pool,
      @Option(names = "--state") String state,
      @Option(names = "--country") String country) {
    out().object(exits().checkAll(pool, state, country, true));
  }
}
