package io.sluice.tunnels.api;

import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import io.sluice.tunnels.app.TunnelMappingService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Tunnel mappings: definitions, the node serving each ({@code servedBy}) and statistics; the relay
 * itself is the {@code /tunnel} WebSocket and the engine's tunnel listeners.
 */
@Path("/v1/tunnels")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "tunnels")
public class TunnelsResource {

  @Inject TunnelMappingService tunnels;

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Map a public port (given, or allocated from sluice.tunnel.ports) to targetHost:targetPort "
              + "through an agent.")
  public Response create(JsonValue body) {
    JsonInput in =
        new JsonInput(
            body,
            Set.of(
                "agentId",
                "targetHost",
                "targetPort",
                "publicPort",
                "allowedSources",
                "bandwidthBps",
                "maxConnections"));
    TunnelMappingService.Spec spec =
        new TunnelMappingService.Spec(
            in.integer("agentId", 1, Long.MAX_VALUE),
            in.string("targetHost", true),
            in.integer("targetPort", 1, 65535),
            in.integer("publicPort", 1, 65535),
            in.strings("allowedSources"),
            in.integer("bandwidthBps", 0, Long.MAX_VALUE),
            in.integer("maxConnections", 0, 1_000_000));
    in.done();
    return Response.status(201).entity(tunnels.view(tunnels.create(spec).id())).build();
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "List mappings, optionally of one agent.")
  public Map<String, List<TunnelMappingService.View>> list(@QueryParam("agentId") Long agentId) {
    return Map.of("items", tunnels.views(agentId));
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "One mapping.")
  public TunnelMappingService.View get(@PathParam("id") long id) {
    return tunnels.view(id);
  }

  @GET
  @Path("/{id}/stats")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "A mapping's statistics: active and total connections, bytes in/out, errors, last activity.")
  public TunnelMappingService.Stats stats(@PathParam("id") long id) {
    return tunnels.stats(id);
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Close a mapping (its public port is released).")
  public Response close(@PathParam("id") long id) {
    tunnels.close(id);
    return Response.noContent().build();
  }
}
