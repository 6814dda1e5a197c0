package io.sluice.alerts.app;

import io.sluice.alerts.domain.AlertSignal;
import io.sluice.alerts.domain.Rules;
import io.sluice.exits.app.ExitService;
import io.sluice.exits.app.PoolService;
import io.sluice.platform.db.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the exits look like for the pool and IP rules, read through the exits feature's services:
 * the enabled exits with their state and last seen external IP, and the pools with their members.
 */
@ApplicationScoped
public class PoolHealth {

  static final int PAGE = 500;

  @Inject ExitService exits;
  @Inject PoolService pools;

  /** An exit as the rules need it. */
  record ExitLook(long id, String name, boolean enabled, String state, String actualIp) {}

  List<ExitLook> exits() {
    List<ExitLook> out = new ArrayList<>();
    for (int page = 0; page < 1000; page++) {
      Page<ExitService.ExitView> p = exits.list(null, null, null, null, page, PAGE);
      p.items()
          .forEach(
              e -> out.add(new ExitLook(e.id(), e.name(), e.enabled(), e.state(), e.actualIp())));
      if (p.items().size() < PAGE) {
        break;
      }
    }
    return out;
  }

  /** The raised alerts of {@link Rules#POOL_FAILING} and {@link Rules#POOL_NO_HEALTHY_EXIT}. */
  Map<String, List<AlertSignal>> poolSignals(List<ExitLook> all, double failingPercent) {
    Map<Long, ExitLook> byId = new HashMap<>();
    all.forEach(e -> byId.put(e.id(), e));
    List<AlertSignal> failing = new ArrayList<>();
    List<AlertSignal> none = new ArrayList<>();
    for (PoolService.PoolView p : pools.list()) {
      List<ExitLook> members =
          p.exits().stream().map(byId::get).filter(e -> e != null && e.enabled()).toList();
      if (members.isEmpty()) {
        continue;
      }
      long bad = members.stream().filter(e -> !"healthy".equals(e.state())).count();
      double percent = 100.0 * bad / members.size();
      Map<String, String> labels =
          Map.of(
              "pool", p.name(),
              "failing", Long.toString(bad),
              "members", Integer.toString(members.size()));
      if (bad == members.size()) {
        none.add(
            new AlertSignal(
                Rules.POOL_NO_HEALTHY_EXIT,
                p.name(),
                true,
                "pool " + p.name() + " has no healthy exit (" + bad + " members)",
                labels));
      }
      if (percent > failingPercent) {
        failing.add(
            new AlertSignal(
                Rules.POOL_FAILING,
                p.name(),
                true,
                String.format(
                    "pool %s: %d of %d exits failing (%.0f%% > %.0f%%)",
                    p.name(), bad, members.size(), percent, failingPercent),
                labels));
      }
    }
    return Map.of(Rules.POOL_FAILING, failing, Rules.POOL_NO_HEALTHY_EXIT, none);
  }
}
