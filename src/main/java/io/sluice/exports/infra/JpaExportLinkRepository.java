package io.sluice.exports.infra;

import io.sluice.exports.domain.ExportLink;
import io.sluice.exports.domain.ExportLinkRepository;
import io.sluice.platform.db.SqlValues;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link ExportLinkRepository} on native SQL through JPA (the table has no entity). */
@ApplicationScoped
public class JpaExportLinkRepository implements ExportLinkRepository {

  private static final String COLUMNS =
      "id, scope, pool, format, bind_cidr, expires_at, revoked_at, created_by, created_at, downloads";

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Override
  public void insert(ExportLink l) {
    em.createNativeQuery(
            "INSERT INTO export_link (id, scope, pool, format, bind_cidr, expires_at, created_by, created_at, "
                + "downloads) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)")
        .setParameter(1, l.id())
        .setParameter(2, l.scope())
        .setParameter(3, l.pool())
        .setParameter(4, l.format())
        .setParameter(5, l.bindCidr())
        .setParameter(6, java.sql.Timestamp.from(l.expiresAt()))
        .setParameter(7, l.createdBy())
        .setParameter(8, java.sql.Timestamp.from(l.createdAt()))
        .executeUpdate();
  }

  @Override
  public List<ExportLink> all() {
    List<ExportLink> out = new ArrayList<>();
    for (Object o :
        em.createNativeQuery("SELECT " + COLUMNS + " FROM export_link ORDER BY created_at DESC")
            .getResultList()) {
      out.add(link((Object[]) o));
    }
    return out;
  }

  @Override
  public Optional<ExportLink> byId(String id) {
    List<?> rows =
        em.createNativeQuery("SELECT " + COLUMNS + " FROM export_link WHERE id = ?")
            .setParameter(1, id)
            .getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(link((Object[]) rows.get(0)));
  }

  @Override
  public boolean revoke(String id, Instant at) {
    return em.createNativeQuery(
                "UPDATE export_link SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .setParameter(1, java.sql.Timestamp.from(at))
            .setParameter(2, id)
            .executeUpdate()
        > 0;
  }

  @Override
  public void countDownload(String id) {
    em.createNativeQuery("UPDATE export_link SET downloads = downloads + 1 WHERE id = ?")
        .setParameter(1, id)
        .executeUpdate();
  }

  private static ExportLink link(Object[] r) {
    return new ExportLink(
        (String) r[0],
        (String) r[1],
        (String) r[2],
        (String) r[3],
        (String) r[4],
        SqlValues.instant(r[5]),
        SqlValues.instant(r[6]),
        (String) r[7],
        SqlValues.instant(r[8]),
        ((Number) r[9]).longValue());
  }
}
