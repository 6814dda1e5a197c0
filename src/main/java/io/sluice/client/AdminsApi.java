package io.sluice.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/v1/admins}: admin and viewer accounts. */
@Path("/v1/admins")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface AdminsApi {

  @GET
  Items<Admin> list();

  @POST
  Admin create(NewAdmin admin);

  @POST
  @Path("/{id}/disable")
  Admin disable(@PathParam("id") long id);

  @POST
  @Path("/{id}/enable")
  Admin enable(@PathParam("id") long id);

  record Admin(
      Long id,
      String username,
      String role,
      Boolean enabled,
      Boolean passwordChangeRequired,
      String createdAt,
      String lastLoginAt) {}

  /** {@code role}: {@code admin} or {@code viewer}. */
  record NewAdmin(String username, String password, String role) {}
}
