package io.sluice.admin.api;

import io.sluice.admin.app.ApiKeyService;
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
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * API keys of automation clients (admin role only): created with a scoped role, the token shown
 * once, listed without it, revoked at once.
 */
@Path("/v1/api-keys")
@RequestScoped
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "api-keys")
public class ApiKeysResource {

  @Inject ApiKeyService keys;

  @POST
  @Operation(
      summary =
          "Create an API key {name, role: orchestrator, expiresAt?} (default expiry 365 days). "
              + "The response carries the token once; use it as 'Authorization: Bearer <token>'.")
  public Response create(JsonValue body, @Context SecurityContext sec, @Context UriInfo uri) {
    JsonInput in = new JsonInput(body, Set.of("name", "role", "expiresAt"));
    String name = in.string("name", true);
    String role = in.string("role", true);
    Instant expiresAt = in.instant("expiresAt");
    in.done();
    ApiKeyService.Created created =
        keys.create(name, role, expiresAt, sec.getUserPrincipal().getName());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("key", created.key());
    out.put("token", created.token());
    return Response.created(
            uri.getAbsolutePathBuilder().path(String.valueOf(created.key().id())).build())
        .header("Cache-Control", "no-store")
        .entity(out)
        .build();
  }

  @GET
  @Operation(summary = "List API keys, revoked ones included (never their tokens).")
  public Map<String, List<ApiKeyService.ApiKeyView>> list() {
    return Map.of("items", keys.list());
  }

  @DELETE
  @Path("/{id}")
  @Operation(summary = "Revoke an API key: its next request is refused with 401.")
  public Response revoke(@PathParam("id") long id, @Context SecurityContext sec) {
    keys.revoke(id, sec.getUserPrincipal().getName());
    return Response.noContent().build();
  }
}
