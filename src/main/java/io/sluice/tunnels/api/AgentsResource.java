package io.sluice.tunnels.api;

import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import io.sluice.tunnels.app.AgentService;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Tunnel agents (registration only: the tunnel relay is not built yet). */
@Path("/v1/agents")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "agents")
public class AgentsResource {

  @Inject AgentService agents;

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary = "Register an agent ({name, allowedTargets?}); the token is in the response, once.")
  public Response create(JsonValue body) {
    JsonInput in = new JsonInput(body, Set.of("name", "allowedTargets"));
    String name = in.string("name", true);
    List<String> targets = in.strings("allowedTargets");
    in.done();
    return Response.status(201).entity(agents.create(name, targets)).build();
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "List agents.")
  public Map<String, List<AgentService.Agent>> list() {
    return Map.of("items", agents.list());
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "One agent (never its token).")
  public AgentService.Agent get(@PathParam("id") long id) {
    return agents.get(id);
  }

  @POST
  @Path("/{id}/disable")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Disable an agent.")
  public AgentService.Agent disable(@PathParam("id") long id) {
    return agents.setEnabled(id, false);
  }

  @POST
  @Path("/{id}/enable")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Enable an agent.")
  public AgentService.Agent enable(@PathParam("id") long id) {
    return agents.setEnabled(id, true);
  }

  @POST
  @Path("/{id}/disconnect")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Drop the agent's connection to this node (it reconnects on its own); 409 when it has none.")
  public Response disconnect(@PathParam("id") long id) {
    agents.disconnect(id);
    return Response.noContent().build();
  }

  @POST
  @Path("/{id}/token")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Rotate the agent's token; the new one is in the response, once.")
  public AgentService.WithToken rotate(@PathParam("id") long id) {
    return agents.rotate(id);
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Delete an agent.")
  public Response delete(@PathParam("id") long id) {
    agents.delete(id);
    return Response.noContent().build();
  }
}
