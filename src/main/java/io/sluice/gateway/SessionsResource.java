package io.sluice.gateway;

import io.sluice.engine.spi.Routing;
import io.sluice.engine.spi.SessionView;
import io.sluice.exits.domain.selection.StickySessions;
import io.sluice.platform.problem.ApiException;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Live proxy sessions on this node. */
@Path("/v1/sessions")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
public class SessionsResource {

  @Inject ProxyViews proxy;
  @Inject io.sluice.platform.node.NodeIdentity identity;
  @Inject io.sluice.cluster.app.ClusterNodes nodes;

  private static final jakarta.json.bind.Jsonb JSONB = jakarta.json.bind.JsonbBuilder.create();
  private static final java.net.http.HttpClient HTTP =
      java.net.http.HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(2)).build();

  /**
   * One live session as the API shows it.
   *
   * @param exit the route id of the exit (its name; {@code direct} for the default route)
   * @param exitId the exit's id, or null for the default route
   * @param exitName the exit's name, or null for the default route
   * @param pool the pool the username (or the user's default) named, or null
   * @param sessionKey the username's {@code session-KEY}, or null
   * @param sessionKeyState the session key's entry in the session table, or null
   */
  public record Session(
      String node,
      String id,
      Long userId,
      String username,
      String client,
      String listener,
      String protocol,
      String destination,
      String exit,
      Long exitId,
      String exitName,
      String pool,
      String sessionKey,
      SessionKey sessionKeyState,
      long bytesUp,
      long bytesDown,
      Instant startedAt) {}

  /**
   * A session key's entry in this node's session table: the exit it keeps, and its last move.
   *
   * @param moves how often the key moved to another exit because its exit stopped being selectable
   * @param previousExitId the exit before the last move, or null
   * @param lastMoveReason {@code unhealthy}, {@code disabled}, {@code removed}, {@code
   *     other-country}, {@code connect-failed}, or null
   */
  public record SessionKey(
      String pool,
      Long userId,
      String sessionKey,
      long exitId,
      String exitName,
      Instant createdAt,
      Instant expiresAt,
      int moves,
      Long previousExitId,
      String previousExitName,
      String lastMoveReason,
      Instant movedAt) {}

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "Live proxy sessions on this node (scope=node, the default) or on every live node of"
              + " the cluster (scope=cluster: this node asks the others with the caller's"
              + " credentials, 2 s each), optionally of one user.")
  public Object list(
      @QueryParam("userId") Long userId,
      @QueryParam("scope") @jakarta.ws.rs.DefaultValue("node") String scope,
      @jakarta.ws.rs.HeaderParam("Authorization") String authorization) {
    if (!"node".equals(scope) && !"cluster".equals(scope)) {
      throw ApiException.badRequest("scope must be node or cluster");
    }
    Map<String, Long> exitIds = proxy.exitIdsByRouteId();
    List<Object> items = new java.util.ArrayList<>();
    proxy.sessions().stream()
        .filter(s -> userId == null || userId.equals(s.principal().userId()))
        .map(s -> view(s, exitIds))
        .forEach(items::add);
    if (!"cluster".equals(scope)) {
      return Map.of("items", items);
    }
    // One JSON document from this node's records and the other nodes' JSON.
    jakarta.json.JsonArrayBuilder all = jakarta.json.Json.createArrayBuilder();
    try (var reader =
        jakarta.json.Json.createReader(new java.io.StringReader(JSONB.toJson(items)))) {
      reader.readArray().forEach(all::add);
    }
    jakarta.json.JsonArrayBuilder nodeResults = jakarta.json.Json.createArrayBuilder();
    nodeResults.add(
        jakarta.json.Json.createObjectBuilder()
            .add("node", identity.name())
            .add("sessions", items.size()));
    for (var n : nodes.nodes()) {
      if (n.self() || !n.alive()) {
        continue;
      }
      jakarta.json.JsonObjectBuilder result =
          jakarta.json.Json.createObjectBuilder().add("node", n.name());
      try {
        var req =
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(
                        n.advertiseUrl()
                            + "/api/v1/sessions"
                            + (userId == null ? "" : "?userId=" + userId)))
                .timeout(java.time.Duration.ofSeconds(2))
                .header("Accept", "application/json");
        if (authorization != null) {
          req.header("Authorization", authorization);
        }
        var resp = HTTP.send(req.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (resp.statusCode() != 200) {
          result.add("error", "HTTP " + resp.statusCode());
        } else {
          try (var reader = jakarta.json.Json.createReader(new java.io.StringReader(resp.body()))) {
            var remote = reader.readObject().getJsonArray("items");
            remote.forEach(all::add);
            result.add("sessions", remote.size());
          }
        }
      } catch (java.io.IOException | RuntimeException e) {
        result.add("error", e.getClass().getSimpleName() + ": " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        result.add("error", "interrupted");
      }
      nodeResults.add(result);
    }
    return jakarta.json.Json.createObjectBuilder()
        .add("items", all)
        .add("nodes", nodeResults)
        .build();
  }

  @GET
  @Path("/keys")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "The session table of this node: live session keys (username session-KEY), the exit"
              + " each keeps, and its last move.")
  public Map<String, List<SessionKey>> keys(@QueryParam("userId") Long userId) {
    List<SessionKey> items =
        proxy.sessionKeys().stream()
            .filter(e -> userId == null || userId.equals(e.userId()))
            .sorted(
                java.util.Comparator.comparing(
                        StickySessions.SessionEntry::pool, java.util.Comparator.naturalOrder())
                    .thenComparing(StickySessions.SessionEntry::sessionKey))
            .map(this::keyView)
            .toList();
    return Map.of("items", items);
  }

  private SessionKey keyView(StickySessions.SessionEntry e) {
    return new SessionKey(
        e.pool(),
        e.userId(),
        e.sessionKey(),
        e.exitId(),
        proxy.exitNameOf(e.exitId()),
        e.createdAt(),
        e.expiresAt(),
        e.moves(),
        e.previousExitId(),
        proxy.exitNameOf(e.previousExitId()),
        e.lastMoveReason(),
        e.movedAt());
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Close one live session.")
  public Response close(@PathParam("id") String id) {
    if (!proxy.closeSession(id)) {
      throw ApiException.notFound("session " + id);
    }
    return Response.noContent().build();
  }

  private Session view(SessionView s, Map<String, Long> exitIds) {
    String route = s.exit() == null ? null : s.exit().id();
    Long exitId = route == null ? null : exitIds.get(route);
    Routing routing = s.principal().routing();
    String pool = routing == null ? null : routing.pool();
    String key = routing == null ? null : routing.session();
    SessionKey state =
        proxy.sessionKey(pool, s.principal().userId(), key).map(this::keyView).orElse(null);
    return new Session(
        identity.name(),
        s.id(),
        s.principal().userId(),
        s.principal().username(),
        String.valueOf(s.connection().client()),
        s.connection().listener(),
        s.protocol(),
        s.destination() == null ? null : s.destination().toString(),
        route,
        exitId,
        exitId == null ? null : proxy.exitNameOf(exitId),
        pool,
        key,
        state,
        s.bytesUp(),
        s.bytesDown(),
        s.startedAt());
  }
}
