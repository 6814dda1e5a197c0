package io.sluice.cli;

import io.sluice.client.AgentsApi;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice agents}: tunnel agents. */
@Command(
    name = "agents",
    mixinStandardHelpOptions = true,
    description =
        "Tunnel agents: list, show, create, disable, enable, rotate-token, disconnect, rm.")
final class AgentsCommand extends Group {

  static final String[] COLUMNS = {
    "id",
    "name",
    "enabled",
    "connected",
    "connectedNode",
    "remoteAddress",
    "version",
    "activeStreams",
    "allowedTargets"
  };

  private AgentsApi agents() {
    return api().agents();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List agents.")
  void list() {
    out().list(agents().list().items(), COLUMNS);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one agent.")
  void show(@Parameters(paramLabel = "ID") String id) {
    out().object(agents().get(id("agent", id)));
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Register an agent; its token is shown once.")
  void create(
      @Parameters(paramLabel = "NAME") String name,
      @Option(
              names = "--allow",
              paramLabel = "CIDR:PORTS",
              description = "Allowed target, e.g. 127.0.0.1/32:3389")
          List<String> targets) {
    out().object(agents().create(new AgentsApi.NewAgent(name, targets)));
  }

  @Command(name = "disable", mixinStandardHelpOptions = true, description = "Disable an agent.")
  void disable(@Parameters(paramLabel = "ID") String id) {
    out().object(agents().disable(id("agent", id)));
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable an agent.")
  void enable(@Parameters(paramLabel = "ID") String id) {
    out().object(agents().enable(id("agent", id)));
  }

  @Command(
      name = "rotate-token",
      mixinStandardHelpOptions = true,
      description = "New token for the agent (shown once; drops its connection).")
  void rotateToken(@Parameters(paramLabel = "ID") String id) {
    out().object(agents().rotateToken(id("agent", id)));
  }

  @Command(
      name = "disconnect",
      mixinStandardHelpOptions = true,
      description = "Drop the agent's connection (it reconnects).")
  void disconnect(@Parameters(paramLabel = "ID") String id) {
    long agent = id("agent", id);
    agents().disconnect(agent);
    out().note("Disconnected agent " + agent + ".");
  }

  @Command(
      name = "rm",
      aliases = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete an agent.")
  void rm(@Parameters(paramLabel = "ID") String id) {
    long agent = id("agent", id);
    agents().delete(agent);
    out().note("Deleted agent " + agent + ".");
  }
}
