package io.sluice.settings.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Run-time settings shared by every node through the {@code setting} table, read through a
 * 5-second cache (a change made on another node applies within seconds; one made here at once).
 */
@ApplicationScoped
public class SettingsStore {

  private static final Logger LOG = Logger.getLogger(SettingsStore.class.getName());
  private static final long REFRESH_NANOS = 5_000_000_000L;

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  private record Cached(Optional<String> value, long loadedAt) {}

  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public Optional<String> get(String name) {
    Cached c = cache.get(name);
    if (c == null || System.nanoTime() - c.loadedAt() > REFRESH_NANOS) {
      try {
        List<?> rows = em.createNativeQuery("SELECT setting_value FROM setting WHERE name = ?")
            .setParameter(1, name).getResultList();
        c = new Cached(rows.isEmpty() ? Optional.empty() : Optional.of((String) rows.get(0)), System.nanoTime());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "SLUICE0062W: cannot read setting {0}, keeping the last value: {1}",
            new Object[] {name, e.getMessage()});
        c = new Cached(c == null ? Optional.empty() : c.value(), System.nanoTime());
      }
      cache.put(name, c);
    }
    return c.value();
  }

  @Transactional
  public void put(String name, String value, String actor) {
    Timestamp now = Timestamp.from(Instant.now());
    int n = em.createNativeQuery("UPDATE setting SET setting_value = ?, updated_by = ?, updated_at = ? WHERE name = ?")
        .setParameter(1, value).setParameter(2, actor).setParameter(3, now).setParameter(4, name).executeUpdate();
    if (n == 0) {
      em.createNativeQuery("INSERT INTO setting (name, setting_value, updated_by, updated_at) VALUES (?, ?, ?, ?)")
          .setParameter(1, name).setParameter(2, value).setParameter(3, actor).setParameter(4, now).executeUpdate();
    }
    cache.put(name, new Cached(Optional.of(value), System.nanoTime()));
  }

  @Transactional
  public void putIfAbsent(String name, String value, String actor) {
    Number n = (Number) em.createNativeQuery("SELECT COUNT(*) FROM setting WHERE name = ?").setParameter(1, name)
        .getSingleResult();
    if (n.longValue() == 0) {
      put(name, value, actor);
    }
  }
}
