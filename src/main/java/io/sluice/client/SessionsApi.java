package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/sessions}: live proxy sessions. */
@Path("/v1/sessions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface SessionsApi {

  /** {@code scope}: {@code node} (default) or {@code cluster}. */
  @GET
  Sessions list(@QueryParam("userId") Long userId, @QueryParam("scope") String scope);

  @GET
  @Path("/keys")
  Items<Map<String, Object>> keys(@QueryParam("userId") Long userId);

  @DELETE
  @Path("/{id}")
  void close(@PathParam("id") String id);

  /** {@code nodes} only with {@code scope=cluster}. */
  record Sessions(List<Session> items, List<Map<String, Object>> nodes) {}

  record Session(
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
      Long bytesUp,
      Long bytesDown,
      String startedAt) {}
}
