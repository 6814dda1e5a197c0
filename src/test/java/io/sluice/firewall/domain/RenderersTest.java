package io.sluice.firewall.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Golden files of both renderers (src/test/resources/io/sluice/firewall; run with {@code
 * -Dgolden.update=true} to rewrite them after a deliberate change, then read the diff), and every
 * rendered ruleset checked by the real {@code nft -c -f} and {@code iptables-restore --test} in a
 * throw-away network namespace ({@code unshare -n}), so the host's firewall is never involved.
 */
class RenderersTest {

  static final Path GOLDEN = Path.of("src/test/resources/io/sluice/firewall");

  /** The example of docs/firewall.md: two users' VMs, one with IPv6, a forward, whitelists. */
  static FirewallModel example() {
    return new FirewallModel(
        "eth0",
        15001,
        List.of(
            new FirewallModel.Vm(2, 8, "10.77.0.3", null),
            new FirewallModel.Vm(1, 7, "10.77.0.2", "2001:db8:0:1::a"),
            new FirewallModel.Vm(3, 7, "10.77.1.2", null)),
        List.of("10.77.0.0/24", "10.77.1.0/24"),
        List.of("2001:db8:0:1::/64"),
        List.of(
            new FirewallModel.Forward("tcp", 8080, "10.77.0.2", 80),
            new FirewallModel.Forward("udp", 5353, "10.77.0.3", 53),
            new FirewallModel.Forward("tcp", 8443, "2001:db8:0:1::a", 443)),
        List.of(1080, 3128, 10001, 10002),
        List.of("192.0.2.0/24", "2001:db8:ffff::/48"),
        List.of(9080, 9443),
        List.of("198.51.100.7"),
        new FirewallModel.PortRange(40000, 40099));
  }

  static FirewallModel empty() {
    return new FirewallModel(
        null, 0, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of(), null);
  }

  @Test
  void nftablesGolden() throws IOException {
    golden("example.nft", NftRenderer.render(example(), "sluice example"));
    golden("empty.nft", NftRenderer.render(empty(), "sluice empty"));
  }

  @Test
  void iptablesGolden() throws IOException {
    golden("example.v4.rules", IptablesRenderer.render(example(), 4));
    golden("example.v6.rules", IptablesRenderer.render(example(), 6));
    golden("empty.v4.rules", IptablesRenderer.render(empty(), 4));
  }

  @Test
  void nftAcceptsEveryRendering() throws Exception {
    requireTool("nft");
    for (FirewallModel m : List.of(example(), empty(), manyVms(600))) {
      check(NftRenderer.render(m, "sluice t"), "nft", "-c", "-f");
    }
    check(NftRenderer.flush(), "nft", "-c", "-f");
  }

  @Test
  void iptablesRestoreAcceptsEveryRendering() throws Exception {
    requireTool("iptables-restore");
    for (FirewallModel m : List.of(example(), empty(), manyVms(40))) {
      check(IptablesRenderer.render(m, 4), "iptables-restore", "--noflush", "--test");
      check(IptablesRenderer.render(m, 6), "ip6tables-restore", "--noflush", "--test");
    }
  }

  @Test
  void brokenRulesAreRefusedByTheRealCheck() throws Exception {
    requireTool("nft");
    String broken = NftRenderer.render(example(), "x").replace("masquerade", "masqurade");
    assertThat(run(broken, "nft", "-c", "-f")).isNotZero();
  }

  @Test
  void perVmStateIsInSetsNotChains() {
    String one = NftRenderer.render(manyVms(1), "t");
    String many = NftRenderer.render(manyVms(300), "t");
    assertThat(chains(many)).isEqualTo(chains(one));
    assertThat(many).contains("10.77.1.44");
  }

  @Test
  void injectionIsRefused() {
    assertThatThrownBy(() -> new FirewallModel.Vm(1, 1, "10.0.0.1; flush ruleset", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FirewallModel.Vm(1, 1, "example.com", null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FirewallModel.Vm(1, 1, "2001:db8::1", null))
        .hasMessageContaining("IPv4");
    assertThatThrownBy(() ->
            new FirewallModel(
                "eth0\" accept",
                0,
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                List.of(),
                null))
        .hasMessageContaining("interface");
  }

  @Test
  void prefixesAreNormalised() {
    assertThat(FirewallModel.cidrs(List.of("10.1.2.3/24", "2001:DB8:0:0::1/64", "192.0.2.9"), 0))
        .containsExactly("10.1.2.0/24", "192.0.2.9/32", "2001:db8::/64");
  }

  static FirewallModel manyVms(int n) {
    List<FirewallModel.Vm> vms = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      vms.add(new FirewallModel.Vm(i + 1, i % 5, "10.77." + (i / 250) + "." + (i % 250 + 2), null));
    }
    return new FirewallModel(
        "eth0",
        15001,
        vms,
        List.of("10.77.0.0/16"),
        List.of(),
        List.of(),
        List.of(1080),
        List.of("192.0.2.0/24"),
        List.of(),
        List.of(),
        new FirewallModel.PortRange(40000, 40099));
  }

  private static List<String> chains(String nft) {
    return nft.lines().filter(l -> !l.contains("elements")).toList();
  }

  private static void golden(String name, String actual) throws IOException {
    Path file = GOLDEN.resolve(name);
    if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
      Files.createDirectories(GOLDEN);
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
  }

  static void requireTool(String tool) throws Exception {
    boolean ok = onPath(tool) && onPath("unshare");
    if (ok) {
      Process p = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
      ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
    assumeTrue(
        ok,
        tool
            + " (scripts/test.sh installs nftables and iptables) or a network namespace"
            + " (unshare -n, needs root) is not available");
  }

  private static void check(String rules, String... command) throws Exception {
    int rc = run(rules, command);
    assertThat(rc).as("%s on%n%s", String.join(" ", command), rules).isZero();
  }

  /** Runs {@code command file} in a new, empty network namespace; the exit code. */
  static int run(String rules, String... command) throws Exception {
    Path f = Files.createTempFile("sluice-fw", ".rules");
    try {
      Files.writeString(f, rules);
      List<String> cmd = new ArrayList<>(List.of("unshare", "-n"));
      cmd.addAll(List.of(command));
      cmd.add(f.toString());
      if (command[0].endsWith("tables-restore")) {
        cmd.removeLast();
        cmd.add("--modprobe=/bin/false");
      }
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      if (command[0].endsWith("tables-restore")) {
        pb.redirectInput(f.toFile());
      }
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      if (p.exitValue() != 0) {
        System.err.println(String.join(" ", command) + ": " + out);
      }
      return p.exitValue();
    } finally {
      Files.deleteIfExists(f);
    }
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
