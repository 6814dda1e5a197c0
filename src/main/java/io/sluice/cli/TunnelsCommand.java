package io.sluice.cli;

import io.sluice.client.TunnelsApi;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice tunnels}: public ports relayed through agents. */
@Command(
    name = "tunnels",
    mixinStandardHelpOptions = true,
    description = "Tunnel mappings: list, show, create, stats, rm.")
final class TunnelsCommand extends Group {

  static final String[] COLUMNS = {
    "id",
    "agentId",
    "publicPort",
    "targetHost",
    "targetPort",
    "maxConnections",
    "bandwidthBps",
    "allowedSources",
    "servedBy.name"
  };

  private TunnelsApi tunnels() {
    return api().tunnels();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tunnel mappings.")
  void list(@Option(names = "--agent", paramLabel = "ID") Long agent) {
    out().list(tunnels().list(agent).items(), COLUMNS);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one mapping.")
  void show(@Parameters(paramLabel = "ID") String id) {
    out().object(tunnels().get(id("tunnel", id)));
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Map a public port through an agent to HOST:PORT.")
  void create(
      @Option(names = "--agent", required = true, paramLabel = "ID") long agent,
      @Option(names = "--target", required = true, paramLabel = "HOST:PORT") String target,
      @Option(names = "--public-port", paramLabel = "PORT", description = "Default: allocated")
          Integer publicPort,
      @Option(names = "--allow-source", paramLabel = "CIDR") List<String> sources,
      @Option(names = "--max-connections", paramLabel = "N") Integer maxConnections,
      @Option(names = "--bandwidth", paramLabel = "BPS") Long bandwidth) {
    int colon = target.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(target.substring(colon + 1));
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      port = -1;
    }
    if (colon <= 0 || port < 0) {
      throw new CliException(ExitCodes.USAGE, "--target must be HOST:PORT, not '" + target + "'");
    }
    String host = target.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    out()
        .object(
            tunnels()
                .create(
                    new TunnelsApi.NewTunnel(
                        agent, host, port, publicPort, sources, bandwidth, maxConnections)));
  }

  @Command(
      name = "stats",
      mixinStandardHelpOptions = true,
      description = "Connections, bytes and errors of a mapping.")
  void stats(@Parameters(paramLabel = "ID") String id) {
    out().object(tunnels().stats(id("tunnel", id)));
  }

  @Command(
      name = "rm",
      aliases = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a mapping (closes its port).")
  void rm(@Parameters(paramLabel = "ID") String id) {
    long tunnel = id("tunnel", id);
    tunnels().delete(tunnel);
    out().note("Deleted tunnel " + tunnel + ".");
  }
}
