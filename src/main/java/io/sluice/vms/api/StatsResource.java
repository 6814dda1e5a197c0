package io.sluice.vms.api;

import io.sluice.platform.web.Roles;
import io.sluice.vms.app.StatsService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The operator's stats document (docs/vms.md#stats). */
@Path("/v1/stats")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "stats")
public class StatsResource {

  @Inject StatsService stats;

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER, Roles.ORCHESTRATOR})
  @Operation(
      summary =
          "Users, VMs by type and state, sessions, address pool usage with recommendations, "
              + "the host's external addresses and the dedicated-IPv6 status.")
  public StatsService.Stats get() {
    return stats.stats();
  }
}
