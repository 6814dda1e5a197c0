package io.sluice.audit.app;

import io.sluice.platform.web.RequestContext;

import io.sluice.platform.db.SqlValues;
import io.sluice.platform.problem.ApiException;
import io.sluice.platform.db.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Appends audit events in their own transaction (so a failed, rolled-back admin call is still
 * recorded) and answers filtered, paged queries. There is no update or delete here; on
 * PostgreSQL a trigger rejects both (except the retention job's deletes).
 */
@ApplicationScoped
public class AuditService {

  private static final Logger LOG = Logger.getLogger(AuditService.class.getName());

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  /** One event as the API shows it. */
  public record Event(long id, Instant at, String actor, String sourceIp, String action, String target,
      String outcome, String requestId, String detail) {}

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void record(String actor, String action, String target, String outcome, String detail) {
    RequestContext.Info ctx = RequestContext.get();
    long id = ((Number) em.createNativeQuery("SELECT nextval('audit_event_seq')").getSingleResult()).longValue();
    em.createNativeQuery("INSERT INTO audit_event (id, at, actor, source_ip, action, target, outcome, request_id, detail) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .setParameter(1, id)
        .setParameter(2, java.sql.Timestamp.from(Instant.now()))
        .setParameter(3, cut(actor, 128))
        .setParameter(4, ctx.sourceIp())
        .setParameter(5, cut(action, 64))
        .setParameter(6, cut(target, 300))
        .setParameter(7, outcome)
        .setParameter(8, ctx.requestId())
        .setParameter(9, cut(detail, 1000))
        .executeUpdate();
  }

  /** Records, logging instead of failing the caller when the audit write itself fails. */
  public void recordQuietly(String actor, String action, String target, String outcome, String detail) {
    try {
      // through the CDI proxy, so record() gets its own transaction
      jakarta.enterprise.inject.spi.CDI.current().select(AuditService.class).get()
          .record(actor, action, target, outcome, detail);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "SLUICE0040E: audit event not written (" + action + " " + target + "): " + e.getMessage(), e);
    }
  }

  @Transactional
  public Page<Event> query(String actor, String action, String target, Instant from, Instant to, int page, int size) {
    if (page < 0) {
      throw ApiException.validation("page", "must be 0 or greater");
    }
    if (size < 1 || size > 500) {
      throw ApiException.validation("size", "must be between 1 and 500");
    }
    StringBuilder where = new StringBuilder(" WHERE 1=1");
    List<Object> params = new ArrayList<>();
    if (actor != null) {
      where.append(" AND actor = ?");
      params.add(actor);
    }
    if (action != null) {
      where.append(" AND action = ?");
      params.add(action);
    }
    if (target != null) {
      where.append(" AND target LIKE ?");
      params.add("%" + target.replace("%", "").replace("_", "") + "%");
    }
    if (from != null) {
      where.append(" AND at >= ?");
      params.add(java.sql.Timestamp.from(from));
    }
    if (to != null) {
      where.append(" AND at < ?");
      params.add(java.sql.Timestamp.from(to));
    }
    var count = em.createNativeQuery("SELECT COUNT(*) FROM audit_event" + where);
    var rows = em.createNativeQuery("SELECT id, at, actor, source_ip, action, target, outcome, request_id, detail "
        + "FROM audit_event" + where + " ORDER BY at DESC, id DESC");
    for (int i = 0; i < params.size(); i++) {
      count.setParameter(i + 1, params.get(i));
      rows.setParameter(i + 1, params.get(i));
    }
    long total = ((Number) count.getSingleResult()).longValue();
    List<Event> items = new ArrayList<>();
    for (Object o : rows.setFirstResult(page * size).setMaxResults(size).getResultList()) {
      Object[] r = (Object[]) o;
      items.add(new Event(((Number) r[0]).longValue(), SqlValues.instant(r[1]), (String) r[2], (String) r[3], (String) r[4],
          (String) r[5], (String) r[6], (String) r[7], (String) r[8]));
    }
    return new Page<>(items, page, size, total);
  }

  /** Deletes events older than {@code cutoff}; returns how many. The deletion is itself audited. */
  @Transactional
  public int purgeOlderThan(Instant cutoff, boolean postgres) {
    if (postgres) {
      em.createNativeQuery("SELECT set_config('sluice.audit_retention', 'on', true)").getSingleResult();
    }
    return em.createNativeQuery("DELETE FROM audit_event WHERE at < ?")
        .setParameter(1, java.sql.Timestamp.from(cutoff)).executeUpdate();
  }

  private static String cut(String s, int max) {
    return s == null ? null : s.length() > max ? s.substring(0, max) : s;
  }
}
