package io.sluice.app;

import io.sluice.engine.policy.SourceWhitelist;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The panel whitelist: CIDRs (IPv4 and IPv6) allowed to reach the admin API. Empty means every
 * address. Set by {@code SLUICE_PANEL_WHITELIST} on the first start and by the API afterwards
 * (shared through the database; other nodes pick a change up within 5 seconds). An update that
 * would shut out the caller's own address is refused unless forced;
 * {@code SLUICE_PANEL_WHITELIST_DISABLE=true} is the emergency way back in.
 */
@ApplicationScoped
public class PanelWhitelist {

  private static final Logger LOG = Logger.getLogger(PanelWhitelist.class.getName());
  private static final String NAME = "panel_whitelist";
  private static final long REFRESH_NANOS = 5_000_000_000L;

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Inject @ConfigProperty(name = "sluice.panel.whitelist", defaultValue = " ") String initial;
  @Inject @ConfigProperty(name = "sluice.panel.whitelist-disable", defaultValue = "false") boolean disabled;

  private record Cached(List<String> cidrs, SourceWhitelist list, long loadedAt) {}

  private volatile Cached cached;

  @Transactional
  void onStart(@Observes SluiceStarted started) {
    if (em.createNativeQuery("SELECT COUNT(*) FROM setting WHERE name = ?").setParameter(1, NAME).getSingleResult()
        instanceof Number n && n.longValue() == 0) {
      List<String> cidrs = split(initial);
      SourceWhitelist.parse(cidrs); // a bad environment value fails the start with its reason
      write(cidrs, "environment");
    }
    if (disabled) {
      LOG.warning("SLUICE0060W: SLUICE_PANEL_WHITELIST_DISABLE=true: the panel whitelist is not enforced");
    }
  }

  public boolean disabledByEnvironment() {
    return disabled;
  }

  /** Whether {@code ip} may reach the admin API. */
  public boolean allows(String ip) {
    if (disabled) {
      return true;
    }
    Cached c = current();
    if (c.cidrs().isEmpty()) {
      return true;
    }
    try {
      return c.list().matches(InetAddress.getByName(ip)); // an IP literal from the container
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public List<String> cidrs() {
    return current().cidrs();
  }

  /** Replaces the list; refuses one that excludes {@code callerIp} unless {@code force}. */
  @Transactional
  public List<String> update(List<String> cidrs, boolean force, String callerIp, String actor) {
    SourceWhitelist parsed;
    try {
      parsed = SourceWhitelist.parse(cidrs);
    } catch (IllegalArgumentException e) {
      throw ApiException.validation("cidrs", e.getMessage());
    }
    if (!cidrs.isEmpty() && !force && !matches(parsed, callerIp)) {
      throw new ApiException(409, "self-lockout", "Would lock you out",
          "the list does not include your own address " + callerIp + "; add it, or send force: true", null);
    }
    write(cidrs, actor);
    cached = new Cached(List.copyOf(cidrs), parsed, System.nanoTime());
    LOG.log(Level.INFO, "SLUICE0061I: panel whitelist set by {0}: {1}", new Object[] {actor, cidrs});
    return cidrs;
  }

  private Cached current() {
    Cached c = cached;
    if (c == null || System.nanoTime() - c.loadedAt() > REFRESH_NANOS) {
      c = load();
      cached = c;
    }
    return c;
  }

  private Cached load() {
    try {
      List<?> rows = em.createNativeQuery("SELECT setting_value FROM setting WHERE name = ?").setParameter(1, NAME).getResultList();
      List<String> cidrs = rows.isEmpty() ? List.of() : split((String) rows.get(0));
      return new Cached(cidrs, cidrs.isEmpty() ? SourceWhitelist.EMPTY : SourceWhitelist.parse(cidrs), System.nanoTime());
    } catch (RuntimeException e) {
      Cached old = cached;
      LOG.log(Level.WARNING, "SLUICE0062W: cannot read the panel whitelist, keeping the last one: {0}", e.getMessage());
      return old != null ? new Cached(old.cidrs(), old.list(), System.nanoTime())
          : new Cached(List.of(), SourceWhitelist.EMPTY, System.nanoTime());
    }
  }

  private void write(List<String> cidrs, String actor) {
    Timestamp now = Timestamp.from(Instant.now());
    String value = String.join(",", cidrs);
    int n = em.createNativeQuery("UPDATE setting SET setting_value = ?, updated_by = ?, updated_at = ? WHERE name = ?")
        .setParameter(1, value).setParameter(2, actor).setParameter(3, now).setParameter(4, NAME).executeUpdate();
    if (n == 0) {
      em.createNativeQuery("INSERT INTO setting (name, setting_value, updated_by, updated_at) VALUES (?, ?, ?, ?)")
          .setParameter(1, NAME).setParameter(2, value).setParameter(3, actor).setParameter(4, now).executeUpdate();
    }
  }

  private static boolean matches(SourceWhitelist list, String ip) {
    try {
      return list.matches(InetAddress.getByName(ip));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static List<String> split(String s) {
    return s == null || s.isBlank() ? List.of()
        : Arrays.stream(s.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
  }
}
