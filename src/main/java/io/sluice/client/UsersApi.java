package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/users}: proxy users, their usage, dedicated port and proxy environment. */
@Path("/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface UsersApi {

  /** Paged; {@code username} is a case-insensitive substring; nulls take the server defaults. */
  @GET
  Page<User> list(
      @QueryParam("username") String username,
      @QueryParam("page") Integer page,
      @QueryParam("size") Integer size);

  @POST
  WithPassword create(NewUser user);

  @GET
  @Path("/{id}")
  User get(@PathParam("id") long id);

  /** JSON merge patch: a field set to null clears it. */
  @PATCH
  @Path("/{id}")
  @Consumes("application/merge-patch+json")
  User update(@PathParam("id") long id, Map<String, Object> patch);

  @POST
  @Path("/{id}/disable")
  User disable(@PathParam("id") long id);

  @POST
  @Path("/{id}/enable")
  User enable(@PathParam("id") long id);

  @DELETE
  @Path("/{id}")
  void delete(@PathParam("id") long id);

  @POST
  @Path("/{id}/password")
  WithPassword rotatePassword(@PathParam("id") long id);

  @GET
  @Path("/{id}/credentials")
  Credentials credentials(@PathParam("id") long id);

  @GET
  @Path("/{id}/usage")
  Usage usage(@PathParam("id") long id);

  @POST
  @Path("/{id}/assignment")
  Assignment assign(@PathParam("id") long id);

  @GET
  @Path("/{id}/assignment")
  Assignment assignment(@PathParam("id") long id);

  @PATCH
  @Path("/{id}/assignment")
  Assignment updateAssignment(@PathParam("id") long id, Map<String, Object> patch);

  @DELETE
  @Path("/{id}/assignment")
  void release(@PathParam("id") long id);

  /** {@code HTTP_PROXY}, {@code HTTPS_PROXY}, {@code ALL_PROXY}, {@code NO_PROXY}. */
  @GET
  @Path("/{id}/proxy-env")
  Map<String, String> proxyEnv(@PathParam("id") long id);

  record User(
      Long id,
      String username,
      Boolean enabled,
      String expiresAt,
      Integer maxConnections,
      Long bandwidthUpBps,
      Long bandwidthDownBps,
      Integer connectionsPerMinute,
      List<String> allowedSources,
      List<String> allowedDestinations,
      String note,
      String defaultPool,
      List<String> allowedPools,
      List<String> allowedClients,
      String createdAt,
      String updatedAt) {}

  /** A new proxy user; every field but {@code username} may be null (server default). */
  record NewUser(
      String username,
      String expiresAt,
      Integer maxConnections,
      Long bandwidthUpBps,
      Long bandwidthDownBps,
      Integer connectionsPerMinute,
      List<String> allowedSources,
      List<String> allowedDestinations,
      String note,
      String defaultPool,
      List<String> allowedPools) {
    public static NewUser named(String username) {
      return new NewUser(username, null, null, null, null, null, null, null, null, null, null);
    }
  }

  /** A user with the password generated for it, shown only in this answer. */
  record WithPassword(User user, String password) {}

  record Credentials(Long id, String username, String password) {}

  record Usage(Long userId, Long bytesUp, Long bytesDown, Long connections, String lastSeenAt) {}

  record Assignment(
      Long userId,
      Integer port,
      Long exitId,
      String reassign,
      String createdAt,
      List<Map<String, Object>> history) {}
}
