package io.sluice.firewall.domain;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Renders a {@link FirewallModel} as one {@code nft -f} file that replaces the table {@code inet
 * sluice} atomically: {@code add table} (so the next line never fails), {@code delete table}, then
 * the whole table. The kernel applies the file as one transaction, so either the new table is in
 * place or the old one still is. Nothing outside the table is named, so other tables (Docker's,
 * libvirt's, the operator's) are never touched and {@code flush ruleset} is never used.
 *
 * <p>Per-VM state lives in sets and maps keyed by address ({@code vm4}, {@code vm6}, {@code fwd4},
 * {@code fwd6}); the chains do not change when VMs come and go.
 */
public final class NftRenderer {

  /** The table's family and name. */
  public static final String TABLE = "inet sluice";

  private NftRenderer() {}

  /** The file for {@code nft -f}. {@code tag} goes into the table's comment (drift detection). */
  public static String render(FirewallModel m, String tag) {
    StringBuilder b = new StringBuilder();
    b.append("# Sluice firewall: table ").append(TABLE).append(", replaced as a whole\n");
    b.append("add table ").append(TABLE).append('\n');
    b.append("delete table ").append(TABLE).append('\n');
    b.append("table ").append(TABLE).append(" {\n");
    b.append("  comment \"").append(tag).append("\"\n");
    set(b, "vm4", "ipv4_addr", false, m.vm4());
    set(b, "vm6", "ipv6_addr", false, m.vm6());
    set(b, "pool4", "ipv4_addr", true, m.pool4());
    set(b, "pool6", "ipv6_addr", true, m.pool6());
    set(b, "proxy_ports", "inet_service", false, strings(m.proxyPorts()));
    set(b, "proxy_allow4", "ipv4_addr", true, FirewallModel.family(m.proxyWhitelist(), 4));
    set(b, "proxy_allow6", "ipv6_addr", true, FirewallModel.family(m.proxyWhitelist(), 6));
    set(b, "panel_ports", "inet_service", false, strings(m.panelPorts()));
    set(b, "panel_allow4", "ipv4_addr", true, FirewallModel.family(m.panelWhitelist(), 4));
    set(b, "panel_allow6", "ipv6_addr", true, FirewallModel.family(m.panelWhitelist(), 6));
    forwardMap(b, "fwd4", "ipv4_addr", m, 4);
    forwardMap(b, "fwd6", "ipv6_addr", m, 6);

    b.append("  chain prerouting {\n");
    b.append("    type nat hook prerouting priority dstnat; policy accept;\n");
    if (m.transparentPort() != 0) {
      int p = m.transparentPort();
      b.append("    ip saddr @vm4 meta l4proto tcp fib daddr type != local redirect to :")
          .append(p)
          .append('\n');
      b.append("    ip6 saddr @vm6 meta l4proto tcp fib daddr type != local redirect to :")
          .append(p)
          .append('\n');
    }
    b.append("    fib daddr type local dnat ip to meta l4proto . th dport map @fwd4\n");
    b.append("    fib daddr type local dnat ip6 to meta l4proto . th dport map @fwd6\n");
    b.append("  }\n");

    b.append("  chain postrouting {\n");
    b.append("    type nat hook postrouting priority srcnat; policy accept;\n");
    String oif =
        m.egressInterface() == null
            ? "oifname != \"lo\""
            : "oifname \"" + m.egressInterface() + "\"";
    b.append("    ip saddr @pool4 ").append(oif).append(" masquerade\n");
    b.append("  }\n");

    b.append("  chain input {\n");
    b.append("    type filter hook input priority filter; policy accept;\n");
    b.append("    iifname \"lo\" accept\n");
    if (m.controlPorts() != null) {
      b.append("    tcp dport ")
          .append(m.controlPorts().first())
          .append('-')
          .append(m.controlPorts().last())
          .append(" drop\n");
    }
    if (m.transparentPort() != 0) {
      String p = "tcp dport " + m.transparentPort();
      b.append("    ").append(p).append(" ip saddr @vm4 accept\n");
      b.append("    ").append(p).append(" ip6 saddr @vm6 accept\n");
      b.append("    ").append(p).append(" drop\n");
    }
    guard(b, "proxy_ports", "proxy_allow", m.proxyWhitelist(), true);
    guard(b, "panel_ports", "panel_allow", m.panelWhitelist(), false);
    b.append("  }\n");

    b.append("  chain forward {\n");
    b.append("    type filter hook forward priority filter; policy accept;\n");
    b.append("    ct status dnat accept\n");
    b.append("    ct state established,related accept\n");
    b.append("    ip saddr @pool4 drop\n");
    b.append("    ip6 saddr @pool6 drop\n");
    b.append("  }\n");
    b.append("}\n");
    return b.toString();
  }

  /** The file for {@code nft -f} that removes the table (and nothing else). */
  public static String flush() {
    return "add table " + TABLE + "\ndelete table " + TABLE + "\n";
  }

  private static void guard(
      StringBuilder b, String ports, String allow, List<String> whitelist, boolean vms) {
    if (whitelist.isEmpty()) {
      return;
    }
    String p = "    tcp dport @" + ports;
    if (vms) {
      b.append(p).append(" ip saddr @vm4 accept\n");
      b.append(p).append(" ip6 saddr @vm6 accept\n");
    }
    b.append(p).append(" ip saddr @").append(allow).append("4 accept\n");
    b.append(p).append(" ip6 saddr @").append(allow).append("6 accept\n");
    b.append(p).append(" drop\n");
  }

  private static void forwardMap(
      StringBuilder b, String name, String addrType, FirewallModel m, int family) {
    List<String> elements =
        m.forwards().stream()
            .filter(f -> f.family() == family)
            .map(f ->
                f.protocol() + " . " + f.publicPort() + " : " + f.vmAddress() + " . " + f.vmPort())
            .toList();
    b.append("  map ").append(name).append(" {\n");
    b.append("    type inet_proto . inet_service : ").append(addrType).append(" . inet_service\n");
    elements(b, elements);
    b.append("  }\n");
  }

  private static void set(
      StringBuilder b, String name, String type, boolean interval, List<String> elements) {
    b.append("  set ").append(name).append(" {\n");
    b.append("    type ").append(type).append('\n');
    if (interval) {
      b.append("    flags interval\n");
    }
    elements(b, elements);
    b.append("  }\n");
  }

  private static void elements(StringBuilder b, List<String> elements) {
    if (!elements.isEmpty()) {
      b.append("    elements = { ").append(String.join(", ", elements)).append(" }\n");
    }
  }

  private static List<String> strings(List<Integer> ports) {
    return ports.stream().map(String::valueOf).collect(Collectors.toList());
  }
}
