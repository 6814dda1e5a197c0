package io.sluice.firewall.api;

import io.sluice.firewall.app.PortForwardService;
import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Port forwards of a VM: a public port of the gateway host to a port of the VM (DNAT). */
@Path("/v1/vms/{id}/forwards")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "firewall")
public class PortForwardsResource {

  @Inject PortForwardService forwards;

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.ORCHESTRATOR})
  @Operation(summary = "Forward {publicPort, vmPort, protocol?: tcp|udp} to the VM.")
  public Response add(@PathParam("id") long vmId, JsonValue body, @Context UriInfo uri) {
    JsonInput in = new JsonInput(body, Set.of("publicPort", "vmPort", "protocol"));
    Long publicPort = in.integer("publicPort", 1, 65535);
    Long vmPort = in.integer("vmPort", 1, 65535);
    if (publicPort == null) {
      in.error("publicPort", "is required");
    }
    if (vmPort == null) {
      in.error("vmPort", "is required");
    }
    String protocol = in.string("protocol", false);
    in.done();
    PortForwardService.Forward f =
        forwards.add(vmId, publicPort.intValue(), vmPort.intValue(), protocol);
    return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(f.id())).build())
        .entity(f)
        .build();
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER, Roles.ORCHESTRATOR})
  @Operation(summary = "The VM's port forwards.")
  public Map<String, List<PortForwardService.Forward>> list(@PathParam("id") long vmId) {
    return Map.of("items", forwards.list(vmId));
  }

  @DELETE
  @Path("{forwardId}")
  @RolesAllowed({Roles.ADMIN, Roles.ORCHESTRATOR})
  @Operation(summary = "Remove a port forward.")
  public Response delete(@PathParam("id") long vmId, @PathParam("forwardId") long forwardId) {
    forwards.delete(vmId, forwardId);
    return Response.noContent().build();
  }
}
