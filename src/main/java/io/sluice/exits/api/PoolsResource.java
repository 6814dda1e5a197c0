package io.sluice.exits.api;

import io.sluice.exits.app.PoolService;
import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Pools of exits with a selection strategy. */
@Path("/v1/pools")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
@Tag(name = "pools")
public class PoolsResource {

  private static final Map<String, Class<?>> TYPES =
      Map.of(
          "name",
          String.class,
          "strategy",
          String.class,
          "fallbackPool",
          String.class,
          "stickyTtlMinutes",
          Long.class,
          "exits",
          List.class);

  @Inject PoolService pools;

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "List pools.")
  public Map<String, List<PoolService.PoolView>> list() {
    return Map.of("items", pools.list());
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Create a pool: name, strategy (sticky, round-robin, random, least-connections, "
              + "least-latency, hash-destination), exits (ids), fallbackPool, stickyTtlMinutes.")
  public Response create(JsonValue body, @Context UriInfo uri) {
    PoolService.PoolView created = pools.create(read(body));
    return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
        .entity(created)
        .build();
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "One pool.")
  public PoolService.PoolView get(@PathParam("id") long id) {
    return pools.get(id);
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Change a pool (merge patch; 'exits' replaces the member list).")
  public PoolService.PoolView update(@PathParam("id") long id, JsonValue body) {
    return pools.update(id, read(body));
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Delete a pool; 409 pool-in-use listing the users and dedicated ports that use it unless force=true (pools that fall back to it lose their fallback).")
  public Response delete(
      @PathParam("id") long id,
      @jakarta.ws.rs.QueryParam("force") @jakarta.ws.rs.DefaultValue("false") boolean force) {
    pools.delete(id, force);
    return Response.noContent().build();
  }

  private static Map<String, Object> read(JsonValue body) {
    JsonInput in = new JsonInput(body, PoolService.FIELDS);
    Map<String, Object> values = in.typed(TYPES);
    in.done();
    return values;
  }
}
