package io.sluice.vms.app;

import io.sluice.platform.db.SluiceStarted;
import io.sluice.vms.domain.PoolUsage;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Gauges {@code sluice_vms{type,state}} and {@code sluice_address_pool_total{pool}} / {@code
 * sluice_address_pool_used{pool}}. The values are read from the database every {@code
 * sluice.vms.metrics-refresh-seconds} (default 30), so a scrape costs nothing; the VM gauges are
 * registered once at start, a pool's gauges when the pool first appears and removed when it goes.
 */
@ApplicationScoped
public class VmMetrics {

  private static final Logger LOG = System.getLogger(VmMetrics.class.getName());
  static final String VMS = "sluice_vms";
  static final String POOL_TOTAL = "sluice_address_pool_total";
  static final String POOL_USED = "sluice_address_pool_used";

  @Inject MetricRegistry metrics;
  @Inject StatsService stats;
  @Inject AddressPoolService addressPools;
  @Resource ManagedScheduledExecutorService scheduler;

  @Inject
  @ConfigProperty(name = "sluice.vms.metrics-refresh-seconds", defaultValue = "30")
  int refreshSeconds;

  private final Map<String, Long> vms = new ConcurrentHashMap<>();
  private final Map<String, PoolUsage> pools = new ConcurrentHashMap<>();
  private final Set<String> poolGauges = new HashSet<>();
  private boolean vmGauges;
  private boolean failing;
  private ScheduledFuture<?> task;

  void onStart(@Observes SluiceStarted started) {
    refreshQuietly();
    int every = Math.max(5, refreshSeconds);
    synchronized (this) {
      task = scheduler.scheduleWithFixedDelay(this::refreshQuietly, every, every, TimeUnit.SECONDS);
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  /** Reads the current values and registers or removes gauges as pools come and go. */
  synchronized void refresh() {
    Map<String, Map<String, Long>> counts = stats.vmsByTypeAndState();
    if (!vmGauges) {
      counts.forEach((type, states) -> states.keySet().forEach(s -> registerVmGauge(type, s)));
      vmGauges = true;
    }
    counts.forEach((type, states) -> states.forEach((state, n) -> vms.put(key(type, state), n)));
    Set<String> seen = new HashSet<>();
    for (PoolUsage p : addressPools.usage()) {
      seen.add(p.pool());
      pools.put(p.pool(), p);
      if (poolGauges.add(p.pool())) {
        registerPoolGauge(POOL_TOTAL, p.pool(), PoolUsage::total);
        registerPoolGauge(POOL_USED, p.pool(), PoolUsage::used);
      }
    }
    for (String gone : Set.copyOf(poolGauges)) {
      if (!seen.contains(gone)) {
        metrics.remove(new MetricID(POOL_TOTAL, new Tag("pool", gone)));
        metrics.remove(new MetricID(POOL_USED, new Tag("pool", gone)));
        poolGauges.remove(gone);
        pools.remove(gone);
      }
    }
  }

  /** The value a gauge shows now (0 when unknown). */
  long vmCount(String type, String state) {
    return vms.getOrDefault(key(type, state), 0L);
  }

  long poolValue(String pool, ToLongFunction<PoolUsage> field) {
    PoolUsage p = pools.get(pool);
    return p == null ? 0 : field.applyAsLong(p);
  }

  private void refreshQuietly() {
    try {
      refresh();
      failing = false;
    } catch (RuntimeException e) {
      if (!failing) {
        LOG.log(Level.WARNING, "SLUICE0562W: VM and address pool gauges not refreshed: " + e, e);
      }
      failing = true;
    }
  }

  private void registerVmGauge(String type, String state) {
    metrics.gauge(
        VMS, this, m -> m.vmCount(type, state), new Tag("type", type), new Tag("state", state));
  }

  private void registerPoolGauge(String name, String pool, ToLongFunction<PoolUsage> field) {
    metrics.gauge(name, this, m -> m.poolValue(pool, field), new Tag("pool", pool));
  }

  private static String key(String type, String state) {
    return type + "/" + state;
  }
}
