package io.sluice.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice sessions}: live proxy sessions. */
@Command(
    name = "sessions",
    mixinStandardHelpOptions = true,
    description = "Live proxy sessions: list, close.")
final class SessionsCommand extends Group {

  static final String[] COLUMNS = {
    "id",
    "node",
    "username",
    "protocol",
    "destination",
    "exitName",
    "bytesUp",
    "bytesDown",
    "startedAt"
  };

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Live sessions on this node (or the whole cluster).")
  void list(
      @Option(names = "--user", paramLabel = "ID") Long user,
      @Option(names = "--cluster", description = "Every live node") boolean cluster) {
    out().list(api().sessions().list(user, cluster ? "cluster" : null).items(), COLUMNS);
  }

  @Command(name = "close", mixinStandardHelpOptions = true, description = "Close a live session.")
  void close(@Parameters(paramLabel = "ID") String id) {
    api().sessions().close(id);
    out().note("Closed session " + id + ".");
  }
}
