package io.sluice.firewall.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a {@link FirewallModel} as {@code iptables-restore --noflush} input (family 4) or {@code
 * ip6tables-restore --noflush} input (family 6), for hosts without nftables. Only Sluice's own
 * chains are declared ({@code SLUICE-PRE}, {@code SLUICE-POST} in {@code nat}, {@code SLUICE-IN},
 * {@code SLUICE-FWD} in {@code filter}); with {@code --noflush} declaring a chain empties just that
 * chain, and each table's part is committed atomically. The jumps from the built-in chains are not
 * part of the file (a restore cannot add them idempotently): {@link #hooks()} lists them, and the
 * applier adds each one that {@code -C} does not find.
 *
 * <p>Without ipsets the per-VM sets become one rule per VM address; the rule order is the same as
 * in {@link NftRenderer}.
 */
public final class IptablesRenderer {

  /** A jump from a built-in chain to one of Sluice's chains. */
  public record Hook(String table, String builtin, String chain) {}

  private static final int MULTIPORT_MAX = 15;

  private IptablesRenderer() {}

  /** The jumps the chains need, in the order the applier ensures them. */
  public static List<Hook> hooks() {
    return List.of(
        new Hook("nat", "PREROUTING", "SLUICE-PRE"),
        new Hook("nat", "POSTROUTING", "SLUICE-POST"),
        new Hook("filter", "INPUT", "SLUICE-IN"),
        new Hook("filter", "FORWARD", "SLUICE-FWD"));
  }

  /** The restore input for one family (4: iptables, 6: ip6tables), without a tag rule. */
  public static String render(FirewallModel m, int family) {
    return render(m, family, null);
  }

  /**
   * The restore input for one family; a non-null {@code tag} becomes the first rule of {@code
   * SLUICE-IN}, a comment match without a target that only marks the loaded version.
   */
  public static String render(FirewallModel m, int family, String tag) {
    boolean v4 = family == 4;
    List<String> vms = v4 ? m.vm4() : m.vm6();
    String host = v4 ? "/32" : "/128";
    StringBuilder b = new StringBuilder();
    b.append("# Sluice firewall: own chains only, load with --noflush\n");
    b.append("*nat\n:SLUICE-PRE - [0:0]\n:SLUICE-POST - [0:0]\n");
    if (m.transparentPort() != 0) {
      for (String vm : vms) {
        b.append("-A SLUICE-PRE -s ")
            .append(vm)
            .append(host)
            .append(" -p tcp -m addrtype ! --dst-type LOCAL -j REDIRECT --to-ports ")
            .append(m.transparentPort())
            .append('\n');
      }
    }
    for (FirewallModel.Forward f : m.forwards()) {
      if (f.family() != family) {
        continue;
      }
      String to = v4 ? f.vmAddress() + ":" + f.vmPort() : "[" + f.vmAddress() + "]:" + f.vmPort();
      b.append("-A SLUICE-PRE -p ")
          .append(f.protocol())
          .append(" -m addrtype --dst-type LOCAL --dport ")
          .append(f.publicPort())
          .append(" -j DNAT --to-destination ")
          .append(to)
          .append('\n');
    }
    if (v4) {
      String oif = m.egressInterface() == null ? "! -o lo" : "-o " + m.egressInterface();
      for (String p : m.pool4()) {
        b.append("-A SLUICE-POST -s ").append(p).append(' ').append(oif).append(" -j MASQUERADE\n");
      }
    }
    b.append("COMMIT\n");

    b.append("*filter\n:SLUICE-IN - [0:0]\n:SLUICE-FWD - [0:0]\n");
    if (tag != null) {
      b.append("-A SLUICE-IN -m comment --comment \"").append(tag).append("\"\n");
    }
    b.append("-A SLUICE-IN -i lo -j ACCEPT\n");
    if (m.controlPorts() != null) {
      b.append("-A SLUICE-IN -p tcp --dport ")
          .append(m.controlPorts().first())
          .append(':')
          .append(m.controlPorts().last())
          .append(" -j DROP\n");
    }
    if (m.transparentPort() != 0) {
      for (String vm : vms) {
        b.append("-A SLUICE-IN -s ")
            .append(vm)
            .append(host)
            .append(" -p tcp --dport ")
            .append(m.transparentPort())
            .append(" -j ACCEPT\n");
      }
      b.append("-A SLUICE-IN -p tcp --dport ").append(m.transparentPort()).append(" -j DROP\n");
    }
    guard(b, m.proxyPorts(), m.proxyWhitelist(), vms, host, family);
    guard(b, m.panelPorts(), m.panelWhitelist(), List.of(), host, family);
    b.append("-A SLUICE-FWD -m conntrack --ctstate DNAT -j ACCEPT\n");
    b.append("-A SLUICE-FWD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
    for (String p : v4 ? m.pool4() : m.pool6()) {
      b.append("-A SLUICE-FWD -s ").append(p).append(" -j DROP\n");
    }
    b.append("COMMIT\n");
    return b.toString();
  }

  /**
   * Guarded ports: sources on the whitelist (and VMs) accepted, everyone else dropped; nothing when
   * the whitelist is empty (every source may connect). Ports go 15 to a multiport rule.
   */
  private static void guard(
      StringBuilder b,
      List<Integer> ports,
      List<String> whitelist,
      List<String> vms,
      String host,
      int family) {
    if (whitelist.isEmpty() || ports.isEmpty()) {
      return;
    }
    List<String> sources = new ArrayList<>();
    vms.forEach(v -> sources.add(v + host));
    sources.addAll(FirewallModel.family(whitelist, family));
    for (int i = 0; i < ports.size(); i += MULTIPORT_MAX) {
      List<Integer> chunk = ports.subList(i, Math.min(ports.size(), i + MULTIPORT_MAX));
      String match =
          "-p tcp -m multiport --dports "
              + String.join(",", chunk.stream().map(String::valueOf).toList());
      for (String s : sources) {
        b.append("-A SLUICE-IN -s ").append(s).append(' ').append(match).append(" -j ACCEPT\n");
      }
      b.append("-A SLUICE-IN ").append(match).append(" -j DROP\n");
    }
  }
}
