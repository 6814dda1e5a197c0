package io.sluice.tor.app;

import io.sluice.tor.domain.NodeState;
import io.sluice.tor.domain.NodeStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * {@code sluice_tor_nodes{state}}, {@code sluice_tor_bootstrap_percent{node}} (gauges of this
 * server's nodes, refreshed by the fleet's tick), {@code sluice_tor_newnym_total}, {@code
 * sluice_tor_restarts_total}, {@code sluice_tor_exit_changes_total} (counters).
 */
@ApplicationScoped
public class TorMetrics {

  static final String NODES = "sluice_tor_nodes";
  static final String BOOTSTRAP = "sluice_tor_bootstrap_percent";

  @Inject MetricRegistry metrics;

  private final Map<String, Long> byState = new ConcurrentHashMap<>();
  private final Map<Integer, Integer> percent = new ConcurrentHashMap<>();
  private final Set<Integer> nodeGauges = new HashSet<>();
  private boolean stateGauges;
  private Counter newnyms;
  private Counter restarts;
  private Counter exitChanges;

  private synchronized void init() {
    if (stateGauges) {
      return;
    }
    for (NodeState s : NodeState.values()) {
      String state = s.wire();
      metrics.gauge(NODES, () -> byState.getOrDefault(state, 0L), new Tag("state", state));
    }
    newnyms = metrics.counter("sluice_tor_newnym_total");
    restarts = metrics.counter("sluice_tor_restarts_total");
    exitChanges = metrics.counter("sluice_tor_exit_changes_total");
    stateGauges = true;
  }

  /** Refreshes the gauges from this server's live statuses. */
  public synchronized void update(Map<Integer, NodeStatus> live) {
    init();
    Map<String, Long> counts = new java.util.HashMap<>();
    live.values().forEach(s -> counts.merge(s.state().wire(), 1L, Long::sum));
    for (NodeState s : NodeState.values()) {
      byState.put(s.wire(), counts.getOrDefault(s.wire(), 0L));
    }
    for (NodeStatus s : live.values()) {
      percent.put(s.index(), s.bootstrapPercent());
      if (nodeGauges.add(s.index())) {
        int i = s.index();
        metrics.gauge(
            BOOTSTRAP, () -> percent.getOrDefault(i, 0), new Tag("node", Integer.toString(i)));
      }
    }
    for (Integer gone : Set.copyOf(nodeGauges)) {
      if (!live.containsKey(gone)) {
        metrics.remove(new MetricID(BOOTSTRAP, new Tag("node", gone.toString())));
        nodeGauges.remove(gone);
        percent.remove(gone);
      }
    }
  }

  public void newnym() {
    init();
    newnyms.inc();
  }

  public void restart() {
    init();
    restarts.inc();
  }

  public void exitChanged() {
    init();
    exitChanges.inc();
  }
}
