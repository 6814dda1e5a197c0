package io.sluice.tunnels.app;

import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;

import io.sluice.platform.db.SqlValues;
import io.sluice.engine.policy.CidrPortList;
import io.sluice.platform.crypto.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tunnel agents: registration with a token shown once (stored as a keyed hash), listing,
 * disabling (drops its connection at once), token rotation and deletion, and the token check of
 * the {@code /tunnel} WebSocket.
 */
@ApplicationScoped
public class AgentService {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String TOKEN_PREFIX = "sat_";

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Inject ServerKeys keys;

  /**
   * An agent as the API shows it (never the token). The connection fields describe its
   * connection to this node ({@code connected} false and the rest null when it has none here).
   */
  public record Agent(long id, String name, List<String> allowedTargets, boolean enabled, boolean connected,
      Instant connectedSince, String remoteAddress, String version, Instant lastHeartbeat, Integer activeStreams,
      Instant createdAt, Instant updatedAt) {}

  /** An agent with its token, shown once at creation or rotation. */
  public record WithToken(Agent agent, String token) {}

  @Transactional
  public WithToken create(String name, List<String> allowedTargets) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    if (name == null || !NAME.matcher(name).matches()) {
      errors.add(new ApiException.FieldError("name", "is required: 1-64 letters, digits, . _ -"));
    }
    validateTargets(allowedTargets, errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    if (((Number) em.createNativeQuery("SELECT COUNT(*) FROM tunnel_agent WHERE name = ?").setParameter(1, name)
        .getSingleResult()).longValue() > 0) {
      throw ApiException.conflict("an agent named '" + name + "' already exists");
    }
    long id = ((Number) em.createNativeQuery("SELECT nextval('tunnel_agent_seq')").getSingleResult()).longValue();
    String token = newToken(id);
    Timestamp now = Timestamp.from(Instant.now());
    em.createNativeQuery("INSERT INTO tunnel_agent (id, name, token_hash, allowed_targets, enabled, created_at, updated_at) "
            + "VALUES (?, ?, ?, ?, TRUE, ?, ?)")
        .setParameter(1, id).setParameter(2, name).setParameter(3, hash(token))
        .setParameter(4, allowedTargets == null || allowedTargets.isEmpty() ? null : String.join(",", allowedTargets))
        .setParameter(5, now).setParameter(6, now).executeUpdate();
    return new WithToken(get(id), token);
  }

  @Transactional
  public List<Agent> list() {
    List<Agent> out = new ArrayList<>();
    for (Object o : em.createNativeQuery("SELECT id, name, allowed_targets, enabled, created_at, updated_at "
        + "FROM tunnel_agent ORDER BY id").getResultList()) {
      out.add(view((Object[]) o));
    }
    return out;
  }

  @Transactional
  public Agent get(long id) {
    List<?> rows = em.createNativeQuery("SELECT id, name, allowed_targets, enabled, created_at, updated_at "
        + "FROM tunnel_agent WHERE id = ?").setParameter(1, id).getResultList();
    if (rows.isEmpty()) {
      throw ApiException.notFound("agent " + id);
    }
    return view((Object[]) rows.get(0));
  }

  @Transactional
  public Agent setEnabled(long id, boolean enabled) {
    update(id, "UPDATE tunnel_agent SET enabled = ?, updated_at = ? WHERE id = ?", enabled);
    if (!enabled) {
      AgentConnections.drop(id, "agent disabled");
    }
    return get(id);
  }

  @Transactional
  public WithToken rotate(long id) {
    get(id);
    String token = newToken(id);
    update(id, "UPDATE tunnel_agent SET token_hash = ?, updated_at = ? WHERE id = ?", hash(token));
    AgentConnections.drop(id, "token rotated");
    return new WithToken(get(id), token);
  }

  /** Drops the agent's connection to this node; 409 when it has none here. */
  public void disconnect(long id) {
    get(id);
    if (!AgentConnections.isConnected(id)) {
      throw ApiException.conflict("agent " + id + " is not connected to this node");
    }
    AgentConnections.drop(id, "disconnected by an administrator");
  }

  @Transactional
  public void delete(long id) {
    if (em.createNativeQuery("DELETE FROM tunnel_agent WHERE id = ?").setParameter(1, id).executeUpdate() == 0) {
      throw ApiException.notFound("agent " + id);
    }
    AgentConnections.drop(id, "agent deleted");
  }

  /** The relay's check: true when the agent exists, is enabled and the token matches. */
  @Transactional
  public boolean authenticate(long id, String token) {
    if (token == null || !token.startsWith(TOKEN_PREFIX)) {
      return false;
    }
    List<?> rows = em.createNativeQuery("SELECT token_hash, enabled FROM tunnel_agent WHERE id = ?")
        .setParameter(1, id).getResultList();
    if (rows.isEmpty()) {
      return false;
    }
    Object[] r = (Object[]) rows.get(0);
    boolean matches = java.security.MessageDigest.isEqual(((String) r[0]).getBytes(StandardCharsets.US_ASCII),
        hash(token).getBytes(StandardCharsets.US_ASCII));
    return matches && Boolean.TRUE.equals(r[1]);
  }

  private void update(long id, String sql, Object value) {
    int n = em.createNativeQuery(sql).setParameter(1, value).setParameter(2, Timestamp.from(Instant.now()))
        .setParameter(3, id).executeUpdate();
    if (n == 0) {
      throw ApiException.notFound("agent " + id);
    }
  }

  private static void validateTargets(List<String> targets, List<ApiException.FieldError> errors) {
    if (targets == null || targets.isEmpty()) {
      return;
    }
    try {
      CidrPortList.parse(targets);
    } catch (IllegalArgumentException e) {
      errors.add(new ApiException.FieldError("allowedTargets", e.getMessage()));
    }
  }

  private static String newToken(long id) {
    return TOKEN_PREFIX + id + "_" + Secrets.random(40);
  }

  private String hash(String token) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(keys.derive("agent-tokens"), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Agent view(Object[] r) {
    String targets = (String) r[2];
    long id = ((Number) r[0]).longValue();
    AgentConnections.Link link = AgentConnections.link(id);
    return new Agent(id, (String) r[1],
        targets == null ? List.of() : Arrays.stream(targets.split(",")).map(String::trim).toList(),
        Boolean.TRUE.equals(r[3]), link != null,
        link == null ? null : link.since(), link == null ? null : link.remoteAddress(),
        link == null ? null : link.softwareVersion(), link == null ? null : link.lastSeen(),
        link == null ? null : link.mux().activeStreams(),
        SqlValues.instant(r[4]), SqlValues.instant(r[5]));
  }
}
