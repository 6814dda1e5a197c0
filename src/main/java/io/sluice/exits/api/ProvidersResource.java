package io.sluice.exits.api;

import io.sluice.exits.app.ProviderService;
import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Providers: a host and port range of a commercial proxy service, one exit per port. */
@Path("/v1/providers")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/merge-patch+json"})
@Tag(name = "providers")
public class ProvidersResource {

  private static final Map<String, Class<?>> TYPES =
      Map.ofEntries(
          Map.entry("name", String.class),
          Map.entry("kind", String.class),
          Map.entry("host", String.class),
          Map.entry("portFrom", Long.class),
          Map.entry("portTo", Long.class),
          Map.entry("username", String.class),
          Map.entry("upstreamUsernameTemplate", String.class),
          Map.entry("password", String.class),
          Map.entry("country", String.class),
          Map.entry("checkUrl", String.class),
          Map.entry("checksPerSecond", Long.class),
          Map.entry("pool", String.class));

  @Inject ProviderService providers;

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "List providers.")
  public Map<String, List<ProviderService.ProviderView>> list() {
    return Map.of("items", providers.list());
  }

  @POST
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Create a provider and one exit per port of its range (optionally added to a pool).")
  public Response create(JsonValue body, @Context UriInfo uri) {
    ProviderService.ProviderView created = providers.create(read(body));
    return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(created.id())).build())
        .entity(created)
        .build();
  }

  @GET
  @Path("/{id}")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "One provider (never its password).")
  public ProviderService.ProviderView get(@PathParam("id") long id) {
    return providers.get(id);
  }

  @PATCH
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Change a provider; a new port range adds exits and retires those outside it "
              + "(exits with a dedicated assignment are kept, disabled and marked retired).")
  public ProviderService.ProviderView update(@PathParam("id") long id, JsonValue body) {
    return providers.update(id, read(body));
  }

  @DELETE
  @Path("/{id}")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Delete a provider and its exits (refused while one of them is assigned).")
  public Response delete(@PathParam("id") long id) {
    providers.delete(id);
    return Response.noContent().build();
  }

  private static Map<String, Object> read(JsonValue body) {
    JsonInput in = new JsonInput(body, ProviderService.FIELDS);
    Map<String, Object> values = in.typed(TYPES);
    in.done();
    return values;
  }
}
