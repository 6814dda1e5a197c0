package io.sluice.users.api;

import io.sluice.platform.db.Page;
import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import io.sluice.users.app.ProxyUserService;
import io.sluice.users.app.ProxyUserSpec;
import io.sluice.users.domain.ProxyUser;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Proxy users: the accounts the SOCKS5/HTTP front door accepts. */
@Path("/v1/users")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
@Tag(name = "users")
public class UsersResource {

  @Inject ProxyUserService users;
  @Inject io.sluice.users.app.UsageService usage;
  @Inject io.sluice.exits.app.DedicatedPortService dedicated;
  @Inject io.sluice.users.app.ProxyEnvService proxyEnv;

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "List proxy users, paged (page from 0, size 1-500), filtered by a username substring.")
  public Page<ProxyUser> list(
      @QueryParam("username") String username,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    return users.list(username, page, size);
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Create a proxy user; the generated password is in the response, once.")
  public Response create(JsonValue body, @Context UriInfo uri) {
    ProxyUserService.WithPassword created = users.create(spec(body));
    return Response.created(
            uri.getAbsolutePathBuilder().path(String.valueOf(created.user().id())).build())
        .entity(withPassword(created))
        .build();
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "One proxy user (without the password).")
  public ProxyUser get(@PathParam("id") long id) {
    return users.get(id);
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Change fields of a proxy user (JSON merge patch: a field set to null is cleared).")
  public ProxyUser update(@PathParam("id") long id, JsonValue body) {
    return users.update(id, spec(body));
  }

  @POST
  @Path("/{id}/disable")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Disable a proxy user; their live sessions are closed.")
  public ProxyUser disable(@PathParam("id") long id) {
    return users.setEnabled(id, false);
  }

  @POST
  @Path("/{id}/enable")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Enable a proxy user.")
  public ProxyUser enable(@PathParam("id") long id) {
    return users.setEnabled(id, true);
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Delete a proxy user; their live sessions are closed.")
  public Response delete(@PathParam("id") long id) {
    users.delete(id);
    return Response.noContent().build();
  }

  @POST
  @Path("/{id}/password")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Rotate the password; the new one is in the response, once. Live sessions are closed.")
  public Map<String, Object> rotate(@PathParam("id") long id) {
    return withPassword(users.rotatePassword(id));
  }

  @GET
  @Path("/{id}/credentials")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "The user's current proxy credentials (admin role only).")
  public Map<String, Object> credentials(@PathParam("id") long id) {
    ProxyUserService.WithPassword c = users.credentials(id);
    return Map.of("id", c.user().id(), "username", c.user().username(), "password", c.password());
  }

  @GET
  @Path("/{id}/usage")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "Bytes and connections of a user through the proxy, kept across restarts.")
  public io.sluice.users.app.UsageService.Usage usage(@PathParam("id") long id) {
    users.get(id);
    return usage.usage(id);
  }

  @POST
  @Path("/{id}/assignment")
  @RolesAllowed({Roles.ADMIN, Roles.ORCHESTRATOR})
  @Operation(
      summary =
          "Get or assign the user's dedicated port and sticky exit (201 when created, 200 when it existed).")
  public Response assign(@PathParam("id") long id) {
    var r = dedicated.getOrAssign(id);
    return Response.status(r.created() ? 201 : 200).entity(r.assignment()).build();
  }

  @GET
  @Path("/{id}/assignment")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER, Roles.ORCHESTRATOR})
  @Operation(
      summary =
          "The user's dedicated port, sticky exit, reassign mode and its last 20 moves (newest first).")
  public io.sluice.exits.app.DedicatedPortService.Detail assignment(@PathParam("id") long id) {
    return dedicated
        .detail(id)
        .orElseThrow(
            () -> io.sluice.platform.problem.ApiException.notFound("assignment of user " + id));
  }

  @PATCH
  @Path("/{id}/assignment")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Set reassign (auto|never) and/or pin the dedicated port to an exit (exitId; recorded in the history).")
  public io.sluice.exits.app.DedicatedPortService.Detail updateAssignment(
      @PathParam("id") long id, JsonValue body) {
    JsonInput in = new JsonInput(body, java.util.Set.of("reassign", "exitId"));
    String reassign = in.string("reassign", false);
    Long exitId = in.integer("exitId", 1, Long.MAX_VALUE);
    in.done();
    return dedicated.update(id, reassign, exitId);
  }

  @DELETE
  @Path("/{id}/assignment")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Release the user's dedicated port.")
  public Response release(@PathParam("id") long id) {
    if (!dedicated.release(id)) {
      throw io.sluice.platform.problem.ApiException.notFound("assignment of user " + id);
    }
    return Response.noContent().build();
  }

  @GET
  @Path("/{id}/proxy-env")
  @RolesAllowed({Roles.ADMIN, Roles.ORCHESTRATOR})
  @Operation(
      summary =
          "HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY for the user's machines "
              + "(the dedicated port when there is one); set sluice.proxy.public-host to the address clients use.")
  public Map<String, String> proxyEnv(@PathParam("id") long id) {
    return proxyEnv.env(id);
  }

  private static Map<String, Object> withPassword(ProxyUserService.WithPassword w) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("user", w.user());
    out.put("password", w.password());
    return out;
  }

  private static ProxyUserSpec spec(JsonValue body) {
    JsonInput in = new JsonInput(body, ProxyUserSpec.FIELDS);
    ProxyUserSpec spec =
        new ProxyUserSpec(
            in.present(),
            in.string("username", false),
            in.bool("enabled"),
            in.instant("expiresAt"),
            toInt(in.integer("maxConnections", 0, Integer.MAX_VALUE)),
            in.integer("bandwidthUpBps", 0, Long.MAX_VALUE),
            in.integer("bandwidthDownBps", 0, Long.MAX_VALUE),
            toInt(in.integer("connectionsPerMinute", 0, Integer.MAX_VALUE)),
            in.strings("allowedSources"),
            in.strings("allowedDestinations"),
            in.string("note", false),
            in.string("defaultPool", false),
            in.strings("allowedPools"),
            in.strings("allowedClients"));
    in.addAll(ProxyUserService.check(spec));
    in.done();
    return spec;
  }

  private static Integer toInt(Long l) {
    return l == null ? null : l.intValue();
  }
}
