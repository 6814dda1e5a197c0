package io.sluice.firewall.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.firewall.domain.Backend;
import io.sluice.firewall.domain.FirewallApplyFailed;
import io.sluice.firewall.domain.FirewallModel;
import io.sluice.firewall.domain.RuleLoader;
import io.sluice.firewall.domain.Ruleset;
import io.sluice.platform.problem.ApiException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Apply, rollback and reconcile against a loader that keeps "the kernel's" rules in memory. */
class FirewallServiceTest {

  /** A kernel: one loaded ruleset; a check refuses text containing "broken". */
  static final class FakeKernel implements RuleLoader {
    String loaded;
    String loadedTag;
    int loads;

    @Override
    public boolean available(Backend backend) {
      return backend == Backend.NFTABLES;
    }

    @Override
    public Result check(Backend backend, Ruleset rules) {
      return rules.text().contains("broken") ? new Result(1, "syntax error") : new Result(0, "");
    }

    @Override
    public Result load(Backend backend, Ruleset rules) {
      loads++;
      loaded = rules.text();
      loadedTag = rules.tag();
      return new Result(0, "");
    }

    @Override
    public String loadedTag(Backend backend) {
      return loadedTag;
    }

    @Override
    public Result remove(Backend backend) {
      loaded = null;
      loadedTag = null;
      return new Result(0, "");
    }

    @Override
    public String sysctl(String key) {
      return "0";
    }

    @Override
    public Result setSysctl(String key, String value) {
      return new Result(0, "");
    }

    @Override
    public Result persistSysctl(Map<String, String> settings) {
      return new Result(0, "");
    }
  }

  final FakeKernel kernel = new FakeKernel();
  final List<FirewallApplyFailed> failures = new ArrayList<>();
  final AtomicReference<FirewallModel> model = new AtomicReference<>(model("10.77.0.2"));

  FirewallService service(boolean apply) {
    return new FirewallService(
        model::get, kernel, failures::add, Clock.systemUTC(), apply, "auto", null);
  }

  static FirewallModel model(String... vms) {
    List<FirewallModel.Vm> list = new ArrayList<>();
    for (int i = 0; i < vms.length; i++) {
      list.add(new FirewallModel.Vm(i + 1, 7, vms[i], null));
    }
    return new FirewallModel(
        "eth0",
        15001,
        list,
        List.of("10.77.0.0/24"),
        List.of(),
        List.of(),
        List.of(1080),
        List.of(),
        List.of(),
        List.of(),
        null);
  }

  @Test
  void applyIsOffByDefault() {
    FirewallService s = service(false);
    assertThatThrownBy(() -> s.apply("api")).isInstanceOf(ApiException.class);
    assertThat(s.reconcile()).isFalse();
    assertThat(kernel.loads).isZero();
    assertThat(s.ruleset(null).text()).contains("10.77.0.2");
  }

  @Test
  void autoDetectsNftables() {
    assertThat(service(false).backend()).isEqualTo(Backend.NFTABLES);
  }

  @Test
  void applyLoadsAndStatusShowsTheVersion() {
    FirewallService s = service(true);
    FirewallService.Applied a = s.apply("api");
    assertThat(a.ok()).isTrue();
    assertThat(kernel.loaded).contains("10.77.0.2");
    assertThat(s.status().appliedTag()).isEqualTo(a.tag()).isEqualTo(s.status().loadedTag());
    assertThat(s.status().drift()).isFalse();
  }

  @Test
  void aFailedCheckKeepsTheOldRulesAndRaisesTheEvent() {
    FirewallService s = service(true);
    String good = s.apply("api").tag();
    model.set(
        new FirewallModel(
            "broken", 15001, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), null));
    FirewallService.Applied a = s.apply("api");
    assertThat(a.ok()).isFalse();
    assertThat(a.error()).contains("syntax error");
    assertThat(kernel.loadedTag).isEqualTo(good);
    assertThat(failures).singleElement().satisfies(f -> assertThat(f.trigger()).isEqualTo("api"));
    assertThat(s.status().failures()).isEqualTo(1);
    assertThat(s.status().appliedTag()).isEqualTo(good);
  }

  @Test
  void reconcileRepairsDriftAndFollowsChanges() {
    FirewallService s = service(true);
    s.apply("api");
    assertThat(s.reconcile()).isFalse(); // nothing to do
    kernel.remove(Backend.NFTABLES); // someone ran nft flush ruleset
    assertThat(s.status().drift()).isTrue();
    assertThat(s.reconcile()).isTrue();
    assertThat(kernel.loaded).contains("10.77.0.2");
    assertThat(s.status().repairs()).isEqualTo(1);
    model.set(model("10.77.0.2", "10.77.0.9")); // a VM was added elsewhere
    assertThat(s.reconcile()).isTrue();
    assertThat(kernel.loaded).contains("10.77.0.9");
  }

  @Test
  void initEnablesForwarding() {
    FirewallService.InitResult r = service(true).init(false);
    assertThat(r.settings())
        .extracting(FirewallService.SysctlChange::key)
        .containsExactly("net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding");
    assertThat(r.settings()).allMatch(FirewallService.SysctlChange::changed);
  }
}
