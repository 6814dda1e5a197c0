package io.sluice.gateway;

import io.sluice.engine.spi.SessionView;
import io.sluice.platform.problem.ApiException;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Live proxy sessions on this node. */
@Path("/v1/sessions")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "sessions")
public class SessionsResource {

  @Inject ProxyHost host;

  /** One live session as the API shows it. */
  public record Session(
      String id,
      Long userId,
      String username,
      String client,
      String listener,
      String protocol,
      String destination,
      String exit,
      long bytesUp,
      long bytesDown,
      Instant startedAt) {}

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "Live proxy sessions on this node, optionally of one user.")
  public Map<String, List<Session>> list(@QueryParam("userId") Long userId) {
    List<Session> items =
        host.sessions().stream()
            .filter(s -> userId == null || userId.equals(s.principal().userId()))
            .map(SessionsResource::view)
            .toList();
    return Map.of("items", items);
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Close one live session.")
  public Response close(@PathParam("id") String id) {
    if (!host.closeSession(id)) {
      throw ApiException.notFound("session " + id);
    }
    return Response.noContent().build();
  }

  private static Session view(SessionView s) {
    return new Session(
        s.id(),
        s.principal().userId(),
        s.principal().username(),
        String.valueOf(s.connection().client()),
        s.connection().listener(),
        s.protocol(),
        s.destination() == null ? null : s.destination().toString(),
        s.exit() == null ? null : s.exit().id(),
        s.bytesUp(),
        s.bytesDown(),
        s.startedAt());
  }
}
