package io.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.users.domain.UsageRecorder;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;
import org.junit.jupiter.api.Test;

/** Engine events reach the right series, and the registry is asked once per label combination. */
class MetricsEventsTest {

  /** A registry that counts look-ups and keeps one counter/timer per name and tags. */
  static final class CountingRegistry {
    final List<String> lookups = new ArrayList<>();
    final Map<String, AtomicLong> values = new ConcurrentHashMap<>();

    MetricRegistry registry() {
      return (MetricRegistry)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {MetricRegistry.class},
              (proxy, method, args) -> {
                String key = key(args);
                synchronized (lookups) {
                  lookups.add(method.getName() + ":" + key);
                }
                AtomicLong v = values.computeIfAbsent(key, k -> new AtomicLong());
                return switch (method.getName()) {
                  case "counter" -> counter(v);
                  case "timer" -> timer(v);
                  default -> throw new UnsupportedOperationException(method.getName());
                };
              });
    }

    private static String key(Object[] args) {
      StringBuilder b = new StringBuilder(String.valueOf(args[0]));
      if (args.length > 1 && args[1] instanceof Tag[] tags) {
        for (Tag t : tags) {
          b.append(',').append(t.getTagName()).append('=').append(t.getTagValue());
        }
      }
      return b.toString();
    }

    private static Counter counter(AtomicLong v) {
      return (Counter)
          Proxy.newProxyInstance(
              Counter.class.getClassLoader(),
              new Class<?>[] {Counter.class},
              (p, m, a) -> {
                if (m.getName().equals("inc")) {
                  v.addAndGet(a == null ? 1 : (Long) a[0]);
                  return null;
                }
                return m.getName().equals("getCount") ? v.get() : null;
              });
    }

    private static Timer timer(AtomicLong v) {
      return (Timer)
          Proxy.newProxyInstance(
              Timer.class.getClassLoader(),
              new Class<?>[] {Timer.class},
              (p, m, a) -> {
                if (m.getName().equals("update")) {
                  v.incrementAndGet();
                }
                return null;
              });
    }
  }

  @Test
  void handshakeAndConnectLookUpEachSeriesOnce() {
    CountingRegistry r = new CountingRegistry();
    MetricsEvents events = new MetricsEvents(r.registry(), new UsageRecorder());
    int before = r.lookups.size();
    for (int i = 0; i < 1000; i++) {
      events.handshake("socks5", "ok", 1_000);
      events.handshake("http", i % 2 == 0 ? "ok" : "auth-failed", 1_000);
      events.connect("socks5", "ok", 2_000);
    }
    assertThat(r.values.get("sluice_proxy_connections,protocol=socks5,result=ok").get())
        .isEqualTo(1000);
    assertThat(r.values.get("sluice_proxy_connections,protocol=http,result=auth-failed").get())
        .isEqualTo(500);
    assertThat(r.values.get("sluice_proxy_handshake,protocol=http").get()).isEqualTo(1000);
    assertThat(r.values.get("sluice_proxy_connect,result=ok").get()).isEqualTo(1000);
    // 3 connection counters + 2 handshake timers + 1 connect timer, each looked up once
    assertThat(r.lookups.subList(before, r.lookups.size())).hasSize(6);
  }

  @Test
  void unknownSourcesOfTheTransparentListenerAreCounted() {
    CountingRegistry r = new CountingRegistry();
    MetricsEvents events = new MetricsEvents(r.registry(), new UsageRecorder());
    java.net.InetSocketAddress local = new java.net.InetSocketAddress("10.77.0.1", 15001);
    events.authFailure(
        new io.sluice.engine.spi.ConnectionInfo(
            "c1",
            new java.net.InetSocketAddress("10.77.0.9", 40000),
            io.sluice.engine.spi.ListenerTag.TRANSPARENT,
            local),
        "unknown source");
    events.authFailure(
        new io.sluice.engine.spi.ConnectionInfo(
            "c2",
            new java.net.InetSocketAddress("10.77.0.9", 40001),
            io.sluice.engine.spi.ListenerTag.SOCKS,
            local),
        "wrong password");
    assertThat(r.values.get("sluice_transparent_unknown_sources").get()).isEqualTo(1);
    assertThat(r.values.get("sluice_proxy_auth_failures").get()).isEqualTo(2);
  }
}
