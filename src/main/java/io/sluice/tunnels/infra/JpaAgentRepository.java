package io.sluice.tunnels.infra;

import io.sluice.platform.db.SqlValues;
import io.sluice.tunnels.domain.AgentRepository;
import io.sluice.tunnels.domain.TunnelAgent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@link AgentRepository} on {@code tunnel_agent} with native SQL (the table has no entity). */
@ApplicationScoped
public class JpaAgentRepository implements AgentRepository {

  private static final String COLUMNS =
      "SELECT id, name, allowed_targets, enabled, created_at, updated_at ";

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Override
  public boolean nameExists(String name) {
    return ((Number)
                em.createNativeQuery("SELECT COUNT(*) FROM tunnel_agent WHERE name = ?")
                    .setParameter(1, name)
                    .getSingleResult())
            .longValue()
        > 0;
  }

  @Override
  public long nextId() {
    return ((Number) em.createNativeQuery("SELECT nextval('tunnel_agent_seq')").getSingleResult())
        .longValue();
  }

  @Override
  public void insert(
      long id, String name, String tokenHash, List<String> allowedTargets, Instant now) {
    Timestamp at = Timestamp.from(now);
    em.createNativeQuery(
            "INSERT INTO tunnel_agent (id, name, token_hash, allowed_targets, enabled, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, TRUE, ?, ?)")
        .setParameter(1, id)
        .setParameter(2, name)
        .setParameter(3, tokenHash)
        .setParameter(
            4,
            allowedTargets == null || allowedTargets.isEmpty()
                ? null
                : String.join(",", allowedTargets))
        .setParameter(5, at)
        .setParameter(6, at)
        .executeUpdate();
  }

  @Override
  public List<TunnelAgent> all() {
    List<TunnelAgent> out = new ArrayList<>();
    for (Object o :
        em.createNativeQuery(COLUMNS + "FROM tunnel_agent ORDER BY id").getResultList()) {
      out.add(agent((Object[]) o));
    }
    return out;
  }

  @Override
  public Optional<TunnelAgent> byId(long id) {
    List<?> rows =
        em.createNativeQuery(COLUMNS + "FROM tunnel_agent WHERE id = ?")
            .setParameter(1, id)
            .getResultList();
    return rows.isEmpty() ? Optional.empty() : Optional.of(agent((Object[]) rows.get(0)));
  }

  @Override
  public boolean setEnabled(long id, boolean enabled, Instant now) {
    return update(
        id, "UPDATE tunnel_agent SET enabled = ?, updated_at = ? WHERE id = ?", enabled, now);
  }

  @Override
  public boolean setTokenHash(long id, String tokenHash, Instant now) {
    return update(
        id, "UPDATE tunnel_agent SET token_hash = ?, updated_at = ? WHERE id = ?", tokenHash, now);
  }

  @Override
  public boolean delete(long id) {
    return em.createNativeQuery("DELETE FROM tunnel_agent WHERE id = ?")
            .setParameter(1, id)
            .executeUpdate()
        > 0;
  }

  @Override
  public Optional<Credentials> credentials(long id) {
    List<?> rows =
        em.createNativeQuery("SELECT token_hash, enabled FROM tunnel_agent WHERE id = ?")
            .setParameter(1, id)
            .getResultList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Object[] r = (Object[]) rows.get(0);
    return Optional.of(new Credentials((String) r[0], Boolean.TRUE.equals(r[1])));
  }

  @Override
  public void place(long id, String node, Instant at) {
    em.createNativeQuery(
            "UPDATE tunnel_agent SET connected_node = ?, connected_at = ? WHERE id = ?")
        .setParameter(1, node)
        .setParameter(2, Timestamp.from(at))
        .setParameter(3, id)
        .executeUpdate();
  }

  @Override
  public void unplace(long id, String node) {
    em.createNativeQuery(
            "UPDATE tunnel_agent SET connected_node = NULL, connected_at = NULL"
                + " WHERE id = ? AND connected_node = ?")
        .setParameter(1, id)
        .setParameter(2, node)
        .executeUpdate();
  }

  @Override
  public java.util.Map<Long, String> placements() {
    java.util.Map<Long, String> out = new java.util.HashMap<>();
    for (Object o :
        em.createNativeQuery(
                "SELECT id, connected_node FROM tunnel_agent WHERE connected_node IS NOT NULL")
            .getResultList()) {
      Object[] r = (Object[]) o;
      out.put(((Number) r[0]).longValue(), (String) r[1]);
    }
    return out;
  }

  private boolean update(long id, String sql, Object value, Instant now) {
    return em.createNativeQuery(sql)
            .setParameter(1, value)
            .setParameter(2, Timestamp.from(now))
            .setParameter(3, id)
            .executeUpdate()
        > 0;
  }

  private static TunnelAgent agent(Object[] r) {
    String targets = (String) r[2];
    return new TunnelAgent(
        ((Number) r[0]).longValue(),
        (String) r[1],
        targets == null ? List.of() : Arrays.stream(targets.split(",")).map(String::trim).toList(),
        Boolean.TRUE.equals(r[3]),
        SqlValues.instant(r[4]),
        SqlValues.instant(r[5]));
  }
}
