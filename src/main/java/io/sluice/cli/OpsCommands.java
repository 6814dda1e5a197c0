package io.sluice.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The basic commands of the later features: {@code tor}, {@code vms}, {@code firewall} and {@code
 * alerts}, read-mostly. Everything else of them is in the typed client and the API.
 */
final class OpsCommands {

  private OpsCommands() {}

  /** {@code sluice tor}: the Tor fleet. */
  @Command(name = "tor", mixinStandardHelpOptions = true, description = "Tor fleet: nodes, rotate.")
  static final class Tor extends Group {

    static final String[] COLUMNS = {
      "id", "server", "index", "state", "bootstrapPercent", "exitIp", "exitCountry", "restarts"
    };

    @Command(name = "nodes", mixinStandardHelpOptions = true, description = "List Tor nodes.")
    void nodes() {
      out().list(api().tor().nodes(), COLUMNS);
    }

    @Command(
        name = "rotate",
        mixinStandardHelpOptions = true,
        description = "New circuits (NEWNYM) for one node of this server, or all of them.")
    void rotate(@Parameters(paramLabel = "ID", arity = "0..1") String id) {
      out().object(id == null ? api().tor().rotateAll() : api().tor().rotate(id("node", id)));
    }
  }

  /** {@code sluice vms}: VMs. */
  @Command(name = "vms", mixinStandardHelpOptions = true, description = "VMs: list, show.")
  static final class Vms extends Group {

    static final String[] COLUMNS = {
      "id", "userId", "name", "type", "state", "ipv4", "ipv6", "dedicatedPort"
    };

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List VMs.")
    void list(
        @Option(names = "--user", paramLabel = "ID") Long user,
        @Option(names = "--type") String type,
        @Option(names = "--state") String state,
        @Option(names = "--page", defaultValue = "0") int page,
        @Option(names = "--size", defaultValue = "50") int size) {
      out().list(api().vms().list(user, type, state, page, size).items(), COLUMNS);
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one VM.")
    void show(@Parameters(paramLabel = "ID") String id) {
      out().object(api().vms().get(id("vm", id)));
    }
  }

  /** {@code sluice firewall}: this node's host firewall. */
  @Command(
      name = "firewall",
      mixinStandardHelpOptions = true,
      description = "Host firewall: status, ruleset.")
  static final class Firewall extends Group {

    @Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Apply on/off, backend, versions, drift, last error.")
    void status() {
      out().object(api().firewall().status());
    }

    @Command(
        name = "ruleset",
        mixinStandardHelpOptions = true,
        description = "The rules for the current state, as nft or iptables-restore input.")
    void ruleset(
        @Option(names = "--backend", description = "nftables or iptables") String backend) {
      root.out().print(api().firewall().ruleset(backend));
      root.out().flush();
    }
  }

  /** {@code sluice alerts}: firing alerts and the recent history. */
  @Command(name = "alerts", mixinStandardHelpOptions = true, description = "Alerts: list.")
  static final class Alerts extends Group {

    static final String[] COLUMNS = {
      "id", "rule", "key", "state", "severity", "summary", "startsAt", "endsAt"
    };

    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Pending and firing alerts (with --history also the resolved ones).")
    void list(
        @Option(names = "--history", description = "Include resolved alerts") boolean history,
        @Option(names = "--limit", defaultValue = "100") int limit) {
      Map<String, List<Map<String, Object>>> doc = api().alerts().list(limit);
      if (out().format() == Output.Format.json) {
        out().object(doc);
        return;
      }
      List<Map<String, Object>> rows = new ArrayList<>(doc.getOrDefault("firing", List.of()));
      if (history) {
        rows.addAll(doc.getOrDefault("history", List.of()));
      }
      out().list(rows, COLUMNS);
    }
  }
}
