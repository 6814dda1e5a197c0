package io.sluice.exports.api;

import io.sluice.exports.app.ExportService;
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
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Export links: proxy lists for people who should not log in. */
@Path("/v1/exports")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "exports")
public class ExportsResource {

  @Inject ExportService exports;

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Create an export link: scope users|pools|dedicated (pool for 'pools'), format txt|csv|json, "
              + "ttlMinutes, optional bindCidr. The response's url (/export/<token>) works without login until it "
              + "expires or is revoked.")
  public Response create(JsonValue body, @Context SecurityContext sec) {
    JsonInput in =
        new JsonInput(
            body, Set.of("scope", "pool", "format", "ttlMinutes", "ttlSeconds", "bindCidr"));
    String scope = in.string("scope", true);
    String pool = in.string("pool", false);
    String format = in.string("format", true);
    Long ttl = in.integer("ttlMinutes", 1, 43_200);
    Long ttlSeconds = in.integer("ttlSeconds", 10, 3600);
    String bindCidr = in.string("bindCidr", false);
    in.done();
    ExportService.Link link =
        exports.create(
            scope, pool, format, ttl, ttlSeconds, bindCidr, sec.getUserPrincipal().getName());
    return Response.status(201).entity(link).build();
  }

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "List export links (without their URLs).")
  public Map<String, List<ExportService.Link>> list() {
    return Map.of("items", exports.list());
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Revoke an export link at once.")
  public Response revoke(@PathParam("id") String id) {
    exports.revoke(id);
    return Response.noContent().build();
  }
}
