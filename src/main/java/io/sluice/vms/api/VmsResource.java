package io.sluice.vms.api;

import io.sluice.platform.db.Page;
import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import io.sluice.vms.app.VmService;
import io.sluice.vms.app.VmSessionService;
import io.sluice.vms.domain.VmFilter;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** VMs: addresses from the address pools, the owner's dedicated proxy port, state, sessions. */
@Path("/v1/vms")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "vms")
public class VmsResource {

  @Inject VmService vms;
  @Inject VmSessionService sessions;

  @POST
  @RolesAllowed({Roles.ADMIN, Roles.ORCHESTRATOR})
  @Operation(
      summary =
          "Create a VM ({userId, type: cli|browser, name?, pool?, ipv6?}): allocates its addresses, "
              + "gets or assigns the user's dedicated port; returns the proxy env and the kernel ip= line.")
  public Response create(JsonValue body, @Context UriInfo uri) {
    JsonInput in = new JsonInput(body, Set.of("userId", "type", "name", "pool", "ipv6"));
    Long userId = in.integer("userId", 1, Long.MAX_VALUE);
    if (userId == null) {
      in.error("userId", "is required: the id of the proxy user the VM belongs to");
    }
    String type = in.string("type", true);
    String name = in.string("name", false);
    String pool = in.string("pool", false);
    Boolean ipv6 = in.bool("ipv6");
    in.done();
    VmService.Vm vm =
        vms.create(new VmService.NewVm(userId, type, name, pool, Boolean.TRUE.equals(ipv6)));
    return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(vm.id())).build())
        .entity(vm)
        .build();
  }

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER, Roles.ORCHESTRATOR})
  @Operation(
      summary = "List VMs, paged (page from 0, size 1-500), filtered by user id, type and state.")
  public Page<VmService.Vm> list(
      @QueryParam("user") Long user,
      @QueryParam("type") String type,
      @QueryParam("state") String state,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    return vms.list(new VmFilter(user, blankToNull(type), blankToNull(state)), page, size);
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER, Roles.ORCHESTRATOR})
  @Operation(summary = "One VM (without the proxy env).")
  public VmService.Vm get(@PathParam("id") long id) {
    return vms.get(id);
  }

  @GET
  @Path("/{id}/config")
  @RolesAllowed({Roles.ADMIN, Roles.ORCHESTRATOR})
  @Operation(summary = "One VM with its proxy env (carries the user's proxy password).")
  public VmService.Vm config(@PathParam("id") long id) {
    return vms.config(id);
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.ORCHESTRATOR})
  @Operation(
      summary = "Delete a VM: its addresses go into quarantine; the user keeps the dedicated port.")
  public Response delete(@PathParam("id") long id) {
    vms.delete(id);
    return Response.noContent().build();
  }

  @POST
  @Path("/{id}/stop")
  @RolesAllowed({Roles.ADMIN, Roles.ORCHESTRATOR})
  @Operation(summary = "Stop a VM (ends its open sessions; it keeps its addresses).")
  public VmService.Vm stop(@PathParam("id") long id) {
    return vms.setState(id, "stopped");
  }

  @POST
  @Path("/{id}/start")
  @RolesAllowed({Roles.ADMIN, Roles.ORCHESTRATOR})
  @Operation(summary = "Start a stopped VM.")
  public VmService.Vm start(@PathParam("id") long id) {
    return vms.setState(id, "active");
  }

  @POST
  @Path("/{id}/sessions")
  @RolesAllowed({Roles.ADMIN, Roles.ORCHESTRATOR})
  @Operation(summary = "Start a session on an active VM (409 when it is stopped).")
  public Response startSession(@PathParam("id") long id) {
    return Response.status(201).entity(sessions.start(id)).build();
  }

  @GET
  @Path("/{id}/sessions")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER, Roles.ORCHESTRATOR})
  @Operation(summary = "The VM's most recent sessions, newest first (at most 100).")
  public Map<String, List<VmSessionService.Session>> sessions(@PathParam("id") long id) {
    return Map.of("items", sessions.recent(id));
  }

  @POST
  @Path("/{id}/sessions/{sid}/end")
  @RolesAllowed({Roles.ADMIN, Roles.ORCHESTRATOR})
  @Operation(summary = "End a session (409 when it has already ended).")
  public VmSessionService.Session endSession(@PathParam("id") long id, @PathParam("sid") long sid) {
    return sessions.end(id, sid);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
