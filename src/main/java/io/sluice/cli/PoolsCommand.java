package io.sluice.cli;

import io.sluice.client.PoolsApi;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice pools}: exit pools. */
@Command(
    name = "pools",
    mixinStandardHelpOptions = true,
    description = "Exit pools: list, show, create, set-exits, rm.")
final class PoolsCommand extends Group {

  static final String[] COLUMNS = {
    "id", "name", "strategy", "fallbackPool", "stickyTtlMinutes", "exits"
  };

  private PoolsApi pools() {
    return api().pools();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List pools.")
  void list() {
    out().list(pools().list().items(), COLUMNS);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one pool.")
  void show(@Parameters(paramLabel = "ID") String id) {
    out().object(pools().get(id("pool", id)));
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a pool.")
  void create(
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = "--strategy",
              description =
                  "sticky, round-robin (default), random, least-connections, least-latency,"
                      + " hash-destination")
          String strategy,
      @Option(names = "--fallback", paramLabel = "POOL") String fallback,
      @Option(names = "--sticky-ttl", paramLabel = "MINUTES") Integer stickyTtl,
      @Option(names = "--exit", paramLabel = "ID", description = "A member exit (repeatable)")
          List<Long> exits) {
    out().object(pools().create(new PoolsApi.NewPool(name, strategy, fallback, stickyTtl, exits)));
  }

  @Command(
      name = "set-exits",
      mixinStandardHelpOptions = true,
      description = "Replace the pool's member exits.")
  void setExits(
      @Parameters(paramLabel = "ID") String id,
      @Option(names = "--exit", paramLabel = "ID", description = "A member exit (repeatable)")
          List<Long> exits) {
    out()
        .object(pools().update(id("pool", id), Map.of("exits", exits == null ? List.of() : exits)));
  }

  @Command(
      name = "rm",
      aliases = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a pool (409 while users or dedicated ports use it, unless --force).")
  void rm(@Parameters(paramLabel = "ID") String id, @Option(names = "--force") boolean force) {
    long pool = id("pool", id);
    pools().delete(pool, force ? Boolean.TRUE : null);
    out().note("Deleted pool " + pool + ".");
  }
}
