package io.sluice.admin.api;

import io.sluice.admin.app.AdminService;
import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Admin accounts (admin role only). New accounts must change their password at first login. */
@Path("/v1/admins")
@RequestScoped
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "admins")
public class AdminsResource {

  @Inject AdminService admins;

  @GET
  @Operation(summary = "List admin accounts.")
  public Map<String, List<AdminService.AdminView>> list() {
    return Map.of("items", admins.list());
  }

  @POST
  @Operation(summary = "Create an admin or viewer account (role: admin|viewer).")
  public Response create(JsonValue body, @Context UriInfo uri) {
    JsonInput in = new JsonInput(body, Set.of("username", "password", "role"));
    String username = in.string("username", true);
    String password = in.string("password", true);
    String role = in.string("role", true);
    in.done();
    AdminService.AdminView created = admins.create(username, password, role);
    return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
        .entity(created)
        .build();
  }

  @POST
  @Path("/{id}/disable")
  @Operation(summary = "Disable an admin account (not your own).")
  public AdminService.AdminView disable(@PathParam("id") long id, @Context SecurityContext sec) {
    return admins.setEnabled(id, false, sec.getUserPrincipal().getName());
  }

  @POST
  @Path("/{id}/enable")
  @Operation(summary = "Enable an admin account.")
  public AdminService.AdminView enable(@PathParam("id") long id, @Context SecurityContext sec) {
    return admins.setEnabled(id, true, sec.getUserPrincipal().getName());
  }
}
