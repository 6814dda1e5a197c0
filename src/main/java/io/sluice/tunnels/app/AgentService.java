package io.sluice.tunnels.app;

import io.sluice.engine.policy.CidrPortList;
import io.sluice.platform.crypto.Secrets;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;
import io.sluice.tunnels.domain.AgentRepository;
import io.sluice.tunnels.domain.TunnelAgent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tunnel agents: registration with a token shown once (stored as a keyed hash), listing, disabling
 * (drops its connection at once), token rotation and deletion, and the token check of the {@code
 * /tunnel} WebSocket.
 */
@ApplicationScoped
public class AgentService {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String TOKEN_PREFIX = "sat_";

  @Inject AgentRepository repository;
  @Inject ServerKeys keys;
  @Inject AgentConnections connections;
  @Inject AgentPlacement placement;
  @Inject jakarta.enterprise.event.Event<io.sluice.tunnels.domain.AgentRevoked> revoked;

  /**
   * An agent as the API shows it (never the token). The connection fields describe its connection
   * to this node ({@code connected} false and the rest null when it has none here); {@code
   * connectedNode} names the live node that holds it anywhere in the cluster (null: offline).
   */
  public record Agent(
      long id,
      String name,
      List<String> allowedTargets,
      boolean enabled,
      boolean connected,
      Instant connectedSince,
      String remoteAddress,
      String version,
      Instant lastHeartbeat,
      Integer activeStreams,
      Instant createdAt,
      Instant updatedAt,
      String connectedNode) {}

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
    if (repository.nameExists(name)) {
      throw ApiException.conflict("an agent named '" + name + "' already exists");
    }
    long id = repository.nextId();
    String token = newToken(id);
    repository.insert(id, name, hash(token), allowedTargets, Instant.now());
    return new WithToken(get(id), token);
  }

  @Transactional
  public List<Agent> list() {
    AgentPlacement.Snapshot where = placement();
    return repository.all().stream().map(a -> view(a, where)).toList();
  }

  @Transactional
  public Agent get(long id) {
    return view(
        repository.byId(id).orElseThrow(() -> ApiException.notFound("agent " + id)), placement());
  }

  @Transactional
  public Agent setEnabled(long id, boolean enabled) {
    found(id, repository.setEnabled(id, enabled, Instant.now()));
    if (!enabled) {
      connections.drop(id, "agent disabled");
      revoke(id, "agent disabled");
    }
    return get(id);
  }

  @Transactional
  public WithToken rotate(long id) {
    get(id);
    String token = newToken(id);
    found(id, repository.setTokenHash(id, hash(token), Instant.now()));
    connections.drop(id, "token rotated");
    revoke(id, "token rotated");
    return new WithToken(get(id), token);
  }

  private void revoke(long id, String reason) {
    if (revoked != null) { // null in unit tests without CDI
      revoked.fire(new io.sluice.tunnels.domain.AgentRevoked(id, reason));
    }
  }

  /** Drops the agent's connection to this node after a change made through another node. */
  void remoteChange(
      @jakarta.enterprise.event.Observes io.sluice.cluster.app.ClusterBus.RemoteChange change) {
    if (change.is(io.sluice.cluster.domain.ClusterEvent.AGENT) && change.subjectId() != null) {
      connections.drop(change.subjectId(), change.subject() + " (through another node)");
    } else if (change.is(io.sluice.cluster.domain.ClusterEvent.AGENT_PLACEMENT)
        && "connected".equals(change.subject())
        && change.subjectId() != null) {
      // One connection per agent in the cluster: a connection held here that is older than the
      // agent's connection to another node is a leftover (the agent moved), never the newer one.
      AgentConnections.Link link = connections.link(change.subjectId());
      if (link != null && link.since().isBefore(change.at())) {
        connections.drop(change.subjectId(), "the agent connected to another node");
      }
    }
  }

  /** Drops the agent's connection to this node; 409 when it has none here. */
  public void disconnect(long id) {
    Agent a = get(id);
    if (!connections.isConnected(id)) {
      throw ApiException.conflict(
          "agent "
              + id
              + " is not connected to this node"
              + (a.connectedNode() != null
                  ? " (it is connected to " + a.connectedNode() + ")"
                  : ""));
    }
    connections.drop(id, "disconnected by an administrator");
  }

  @Transactional
  public void delete(long id) {
    found(id, repository.delete(id));
    connections.drop(id, "agent deleted");
    revoke(id, "agent deleted");
  }

  /** The relay's check: true when the agent exists, is enabled and the token matches. */
  @Transactional
  public boolean authenticate(long id, String token) {
    if (token == null || !token.startsWith(TOKEN_PREFIX)) {
      return false;
    }
    Optional<AgentRepository.Credentials> stored = repository.credentials(id);
    if (stored.isEmpty()) {
      return false;
    }
    boolean matches =
        java.security.MessageDigest.isEqual(
            stored.get().tokenHash().getBytes(StandardCharsets.US_ASCII),
            hash(token).getBytes(StandardCharsets.US_ASCII));
    return matches && stored.get().enabled();
  }

  private static void found(long id, boolean changed) {
    if (!changed) {
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

  private AgentPlacement.Snapshot placement() {
    return placement == null // null in unit tests without CDI
        ? new AgentPlacement.Snapshot(java.util.Map.of(), "")
        : placement.current();
  }

  private Agent view(TunnelAgent a, AgentPlacement.Snapshot where) {
    AgentPlacement.Node node = where.servingNode(a.id());
    AgentConnections.Link link = connections.link(a.id());
    return new Agent(
        a.id(),
        a.name(),
        a.allowedTargets(),
        a.enabled(),
        link != null,
        link == null ? null : link.since(),
        link == null ? null : link.remoteAddress(),
        link == null ? null : link.softwareVersion(),
        link == null ? null : link.lastSeen(),
        link == null ? null : link.mux().activeStreams(),
        a.createdAt(),
        a.updatedAt(),
        node != null ? node.name() : null);
  }
}
