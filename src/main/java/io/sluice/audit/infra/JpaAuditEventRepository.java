package io.sluice.audit.infra;

import io.sluice.audit.domain.AuditEventRepository;
import io.sluice.platform.db.SqlValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link AuditEventRepository} on native SQL through JPA (the table has no entity). */
@ApplicationScoped
public class JpaAuditEventRepository implements AuditEventRepository {

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Override
  public void append(NewEvent e) {
    long id =
        ((Number) em.createNativeQuery("SELECT nextval('audit_event_seq')").getSingleResult())
            .longValue();
    em.createNativeQuery(
            "INSERT INTO audit_event (id, at, actor, source_ip, action, target, outcome, request_id, detail) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .setParameter(1, id)
        .setParameter(2, java.sql.Timestamp.from(e.at()))
        .setParameter(3, e.actor())
        .setParameter(4, e.sourceIp())
        .setParameter(5, e.action())
        .setParameter(6, e.target())
        .setParameter(7, e.outcome())
        .setParameter(8, e.requestId())
        .setParameter(9, e.detail())
        .executeUpdate();
  }

  @Override
  public long count(Filter filter) {
    List<Object> params = new ArrayList<>();
    String where = where(filter, params);
    return ((Number)
            bind(em.createNativeQuery("SELECT COUNT(*) FROM audit_event" + where), params)
                .getSingleResult())
        .longValue();
  }

  @Override
  public List<StoredEvent> page(Filter filter, int page, int size) {
    List<Object> params = new ArrayList<>();
    String where = where(filter, params);
    var rows =
        bind(
            em.createNativeQuery(
                "SELECT id, at, actor, source_ip, action, target, outcome, request_id, detail "
                    + "FROM audit_event"
                    + where
                    + " ORDER BY at DESC, id DESC"),
            params);
    List<StoredEvent> items = new ArrayList<>();
    for (Object o : rows.setFirstResult(page * size).setMaxResults(size).getResultList()) {
      Object[] r = (Object[]) o;
      items.add(
          new StoredEvent(
              ((Number) r[0]).longValue(),
              SqlValues.instant(r[1]),
              (String) r[2],
              (String) r[3],
              (String) r[4],
              (String) r[5],
              (String) r[6],
              (String) r[7],
              (String) r[8]));
    }
    return items;
  }

  @Override
  public int deleteOlderThan(Instant cutoff, boolean postgres) {
    if (postgres) {
      em.createNativeQuery("SELECT set_config('sluice.audit_retention', 'on', true)")
          .getSingleResult();
    }
    return em.createNativeQuery("DELETE FROM audit_event WHERE at < ?")
        .setParameter(1, java.sql.Timestamp.from(cutoff))
        .executeUpdate();
  }

  private static String where(Filter f, List<Object> params) {
    StringBuilder where = new StringBuilder(" WHERE 1=1");
    if (f.actor() != null) {
      where.append(" AND actor = ?");
      params.add(f.actor());
    }
    if (f.action() != null) {
      where.append(" AND action = ?");
      params.add(f.action());
    }
    if (f.target() != null) {
      where.append(" AND target LIKE ?");
      params.add("%" + f.target().replace("%", "").replace("_", "") + "%");
    }
    if (f.from() != null) {
      where.append(" AND at >= ?");
      params.add(java.sql.Timestamp.from(f.from()));
    }
    if (f.to() != null) {
      where.append(" AND at < ?");
      params.add(java.sql.Timestamp.from(f.to()));
    }
    return where.toString();
  }

  private static Query bind(Query q, List<Object> params) {
    for (int i = 0; i < params.size(); i++) {
      q.setParameter(i + 1, params.get(i));
    }
    return q;
  }
}
