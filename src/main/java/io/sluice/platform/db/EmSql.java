package io.sluice.platform.db;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link Sql} on JPA native queries of the caller's (JTA) transaction. */
public final class EmSql implements Sql {

  private final EntityManager em;

  public EmSql(EntityManager em) {
    this.em = em;
  }

  @Override
  public List<Object[]> rows(String sql, Object... params) {
    List<Object[]> out = new ArrayList<>();
    for (Object r : bind(em.createNativeQuery(sql), params).getResultList()) {
      out.add(r instanceof Object[] a ? a : new Object[] {r});
    }
    return out;
  }

  @Override
  public int update(String sql, Object... params) {
    return bind(em.createNativeQuery(sql), params).executeUpdate();
  }

  private static Query bind(Query q, Object... params) {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      q.setParameter(i + 1, p instanceof Instant t ? Timestamp.from(t) : p);
    }
    return q;
  }
}
