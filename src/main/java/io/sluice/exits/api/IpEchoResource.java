package io.sluice.exits.api;

import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.RequestScoped;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * An IP echo: answers the caller's address as {@code {"ip": "..."}}. Exit health checks can fetch
 * it through an exit to learn the exit's external address (default check URL in tests).
 */
@Path("/v1/ip")
@RequestScoped
@Tag(name = "exits")
public class IpEchoResource {

  @GET
  @PermitAll
  @SecurityRequirements
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "The caller's IP address, as seen by Sluice.")
  public Map<String, String> ip(@Context HttpServletRequest request) {
    return Map.of("ip", request.getRemoteAddr());
  }
}
