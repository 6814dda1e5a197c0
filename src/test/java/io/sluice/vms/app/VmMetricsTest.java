package io.sluice.vms.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.vms.domain.PoolUsage;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.junit.jupiter.api.Test;

/** Gauges registered once, pool gauges following the pools, values from the last refresh. */
class VmMetricsTest {

  /** Registered gauges by "name{tag=value,...}", read on demand like a scrape would. */
  private final Map<String, Function<Object, Number>> gauges = new TreeMap<>();

  private final InMemoryVmRepository vms = new InMemoryVmRepository();
  private final FakeAddressPools pools = new FakeAddressPools();
  private final VmMetrics metrics = new VmMetrics();

  {
    StatsService stats = new StatsService();
    stats.vms = vms;
    metrics.stats = stats;
    metrics.addressPools = pools;
    metrics.metrics = registry();
  }

  @SuppressWarnings("unchecked")
  private MetricRegistry registry() {
    return (MetricRegistry)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {MetricRegistry.class},
            (p, m, args) -> {
              switch (m.getName()) {
                case "gauge" -> {
                  String key = key((String) args[0], (Tag[]) args[3]);
                  if (gauges.containsKey(key)) {
                    throw new IllegalStateException("registered twice: " + key);
                  }
                  Object target = args[1];
                  Function<Object, Number> f = (Function<Object, Number>) args[2];
                  gauges.put(key, x -> f.apply(target));
                  return null;
                }
                case "remove" -> {
                  MetricID id = (MetricID) args[0];
                  return gauges.remove(key(id.getName(), id.getTagsAsArray())) != null;
                }
                default -> throw new UnsupportedOperationException(m.getName());
              }
            });
  }

  private static String key(String name, Tag[] tags) {
    return name
        + Arrays.stream(tags)
            .map(t -> t.getTagName() + "=" + t.getTagValue())
            .sorted()
            .collect(Collectors.joining(",", "{", "}"));
  }

  private long read(String key) {
    return gauges.get(key).apply(null).longValue();
  }

  private static PoolUsage usage(String name, long total, long used) {
    return new PoolUsage(1, name, 4, null, total, used, 0, total - used, List.of(), 0, 0);
  }

  private void vm(long id, String type, String state) {
    var e = new io.sluice.vms.domain.VmEntity();
    e.id = id;
    e.vmType = type;
    e.state = state;
    e.ipv4Address = "10.0.0." + id;
    vms.insert(e);
  }

  @Test
  void vmGaugesAreRegisteredOnceAndFollowTheCounts() {
    metrics.refresh();
    assertThat(gauges.keySet())
        .containsExactlyInAnyOrder(
            "sluice_vms{state=active,type=cli}",
            "sluice_vms{state=stopped,type=cli}",
            "sluice_vms{state=active,type=browser}",
            "sluice_vms{state=stopped,type=browser}");
    assertThat(read("sluice_vms{state=active,type=cli}")).isZero();

    vm(1, "cli", "active");
    vm(2, "cli", "active");
    vm(3, "browser", "stopped");
    metrics.refresh();

    assertThat(read("sluice_vms{state=active,type=cli}")).isEqualTo(2);
    assertThat(read("sluice_vms{state=stopped,type=browser}")).isEqualTo(1);
    assertThat(read("sluice_vms{state=active,type=browser}")).isZero();
  }

  @Test
  void poolGaugesComeAndGoWithThePools() {
    pools.usage.add(usage("lab", 253, 10));
    metrics.refresh();
    assertThat(read("sluice_address_pool_total{pool=lab}")).isEqualTo(253);
    assertThat(read("sluice_address_pool_used{pool=lab}")).isEqualTo(10);

    pools.usage.set(0, usage("lab", 506, 11));
    pools.usage.add(usage("tier2", 65534, 0));
    metrics.refresh();
    assertThat(read("sluice_address_pool_total{pool=lab}")).isEqualTo(506);
    assertThat(read("sluice_address_pool_used{pool=lab}")).isEqualTo(11);
    assertThat(read("sluice_address_pool_total{pool=tier2}")).isEqualTo(65534);

    pools.usage.remove(0);
    metrics.refresh();
    assertThat(gauges).doesNotContainKey("sluice_address_pool_total{pool=lab}");
    assertThat(gauges).doesNotContainKey("sluice_address_pool_used{pool=lab}");
    assertThat(gauges).containsKey("sluice_address_pool_used{pool=tier2}");
  }
}
