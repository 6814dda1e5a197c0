package io.sluice.firewall.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.firewall.domain.Backend;
import io.sluice.firewall.domain.FirewallModel;
import io.sluice.firewall.domain.RuleLoader;
import io.sluice.firewall.domain.Ruleset;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real tools through {@link CommandRuleLoader}, inside a network namespace this test creates
 * and deletes ({@code SLUICE_FIREWALL_NETNS} as in production): both backends load, report their
 * version tag, leave a foreign table alone and are removed again. Skipped without root or netns.
 */
class CommandRuleLoaderTest {

  static final String NS = "sfw-load-" + ProcessHandle.current().pid();
  static boolean created;

  @BeforeAll
  static void namespace() throws Exception {
    created = run("ip", "netns", "add", NS) == 0;
    assumeTrue(created, "cannot create a network namespace here (needs root and iproute2)");
  }

  @AfterAll
  static void remove() throws Exception {
    if (created) {
      run("ip", "netns", "del", NS);
    }
  }

  static FirewallModel model(String... vms) {
    List<FirewallModel.Vm> list = new java.util.ArrayList<>();
    for (int i = 0; i < vms.length; i++) {
      list.add(new FirewallModel.Vm(i + 1, 7, vms[i], null));
    }
    return new FirewallModel(
        "eth0",
        15001,
        list,
        List.of("10.77.0.0/24"),
        List.of("2001:db8:0:1::/64"),
        List.of(new FirewallModel.Forward("tcp", 8022, "10.77.0.2", 22)),
        List.of(1080, 3128),
        List.of("192.0.2.0/24"),
        List.of(9080),
        List.of(),
        new FirewallModel.PortRange(40000, 40099));
  }

  @Test
  void nftablesLoadsReplacesAndRemovesOnlyItsTable() throws Exception {
    RuleLoader loader = new CommandRuleLoader(NS, Files.createTempDirectory("sfw"));
    assumeTrue(loader.available(Backend.NFTABLES), "nft is not usable here");
    assertThat(run("ip", "netns", "exec", NS, "nft", "add", "table", "ip", "operator")).isZero();
    Ruleset one = Ruleset.render(Backend.NFTABLES, model("10.77.0.2"));
    assertThat(loader.load(Backend.NFTABLES, one).ok()).isTrue();
    assertThat(loader.loadedTag(Backend.NFTABLES)).isEqualTo(one.tag());
    Ruleset two = Ruleset.render(Backend.NFTABLES, model("10.77.0.2", "10.77.0.3"));
    assertThat(two.tag()).isNotEqualTo(one.tag());
    assertThat(loader.check(Backend.NFTABLES, two).ok()).isTrue();
    assertThat(loader.load(Backend.NFTABLES, two).ok()).isTrue();
    assertThat(loader.loadedTag(Backend.NFTABLES)).isEqualTo(two.tag());
    assertThat(loader.remove(Backend.NFTABLES).ok()).isTrue();
    assertThat(loader.loadedTag(Backend.NFTABLES)).isNull();
    assertThat(run("ip", "netns", "exec", NS, "nft", "list", "table", "ip", "operator")).isZero();
    assertThat(loader.remove(Backend.NFTABLES).ok()).as("removing twice").isTrue();
  }

  @Test
  void iptablesLoadsWithHooksOnceAndRemovesItsChains() throws Exception {
    RuleLoader loader = new CommandRuleLoader(NS, Files.createTempDirectory("sfw"));
    assumeTrue(loader.available(Backend.IPTABLES), "iptables-restore is not usable here");
    Ruleset one = Ruleset.render(Backend.IPTABLES, model("10.77.0.2"));
    assertThat(loader.check(Backend.IPTABLES, one).ok()).isTrue();
    assertThat(loader.load(Backend.IPTABLES, one).ok()).isTrue();
    assertThat(loader.loadedTag(Backend.IPTABLES)).isEqualTo(one.tag());
    Ruleset two = Ruleset.render(Backend.IPTABLES, model("10.77.0.2", "10.77.0.3"));
    assertThat(loader.load(Backend.IPTABLES, two).ok()).isTrue();
    assertThat(loader.loadedTag(Backend.IPTABLES)).isEqualTo(two.tag());
    String pre = output("ip", "netns", "exec", NS, "iptables", "-t", "nat", "-S", "PREROUTING");
    assertThat(pre.lines().filter(l -> l.contains("SLUICE-PRE"))).hasSize(1);
    String chain = output("ip", "netns", "exec", NS, "iptables", "-t", "nat", "-S", "SLUICE-PRE");
    assertThat(chain).contains("10.77.0.3/32").contains("--to-destination 10.77.0.2:22");
    assertThat(loader.remove(Backend.IPTABLES).ok()).isTrue();
    assertThat(loader.loadedTag(Backend.IPTABLES)).isNull();
    assertThat(output("ip", "netns", "exec", NS, "iptables", "-t", "nat", "-S"))
        .doesNotContain("SLUICE");
  }

  static int run(String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  static String output(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }
}
