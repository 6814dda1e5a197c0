package io.sluice.settings.app;

import io.sluice.settings.domain.SettingRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Run-time settings shared by every node through the {@code setting} table, read through a 5-second
 * cache (a change made on another node applies within seconds; one made here at once).
 */
@ApplicationScoped
public class SettingsStore {

  private static final Logger LOG = System.getLogger(SettingsStore.class.getName());
  private static final long REFRESH_NANOS = 5_000_000_000L;

  @Inject SettingRepository rows;

  /** Monotonic nanoseconds for cache ages (replaced in unit tests). */
  LongSupplier nanoTime = System::nanoTime;

  private record Cached(Optional<String> value, long loadedAt) {}

  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  @jakarta.inject.Inject
  jakarta.enterprise.event.Event<io.sluice.settings.domain.SettingChanged> changes;

  public Optional<String> get(String name) {
    Cached c = cache.get(name);
    if (c == null || nanoTime.getAsLong() - c.loadedAt() > REFRESH_NANOS) {
      try {
        c = new Cached(rows.value(name), nanoTime.getAsLong());
      } catch (RuntimeException e) {
        LOG.log(
            Level.WARNING,
            "SLUICE0062W: cannot read setting {0}, keeping the last value: {1}",
            new Object[] {name, e.getMessage()});
        c = new Cached(c == null ? Optional.empty() : c.value(), nanoTime.getAsLong());
      }
      cache.put(name, c);
    }
    return c.value();
  }

  @Transactional
  public void put(String name, String value, String actor) {
    Instant now = Instant.now();
    if (!rows.update(name, value, actor, now)) {
      rows.insert(name, value, actor, now);
    }
    cache.put(name, new Cached(Optional.of(value), nanoTime.getAsLong()));
    if (changes != null) {
      changes.fire(new io.sluice.settings.domain.SettingChanged(name));
    }
  }

  /** Drops the cached value (the setting was changed through another node). */
  public void forget(String name) {
    cache.remove(name);
  }

  void remoteChange(
      @jakarta.enterprise.event.Observes io.sluice.cluster.app.ClusterBus.RemoteChange change) {
    if (change.is(io.sluice.cluster.domain.ClusterEvent.SETTING) && change.subject() != null) {
      forget(change.subject());
    }
  }

  @Transactional
  public void putIfAbsent(String name, String value, String actor) {
    if (!rows.exists(name)) {
      put(name, value, actor);
    }
  }
}
