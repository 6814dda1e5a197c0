package io.sluice.settings.api;

import io.sluice.admin.app.PanelWhitelist;
import io.sluice.platform.web.JsonInput;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Settings changed at run time: the panel whitelist. */
@Path("/v1/settings")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "settings")
public class SettingsResource {

  @Inject PanelWhitelist whitelist;
  @Inject io.sluice.users.app.ProxyClientWhitelist proxyClients;
  @Inject io.sluice.admin.app.HttpsPolicy https;

  @GET
  @Path("/proxy-client-whitelist")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "The CIDRs allowed to use the proxy listeners (empty: everyone).")
  public Map<String, Object> getProxyClients() {
    return Map.of("cidrs", proxyClients.cidrs());
  }

  @PUT
  @Path("/proxy-client-whitelist")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Replace the proxy client whitelist ({cidrs}); applies to new connections within seconds.")
  public Map<String, Object> putProxyClients(JsonValue body, @Context SecurityContext sec) {
    JsonInput in = new JsonInput(body, Set.of("cidrs"));
    List<String> cidrs = in.strings("cidrs");
    if (cidrs == null) {
      in.error("cidrs", "is required (an empty array allows everyone)");
    }
    in.done();
    proxyClients.update(cidrs, sec.getUserPrincipal().getName());
    return getProxyClients();
  }

  @GET
  @Path("/require-https")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "Whether the admin API refuses plain HTTP.")
  public Map<String, Object> getHttps() {
    return Map.of("enabled", https.required());
  }

  @PUT
  @Path("/require-https")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Refuse (or allow) plain HTTP for the admin API and exports ({enabled}); health and metrics stay on HTTP.")
  public Map<String, Object> putHttps(JsonValue body, @Context SecurityContext sec) {
    JsonInput in = new JsonInput(body, Set.of("enabled"));
    Boolean enabled = in.bool("enabled");
    if (enabled == null) {
      in.error("enabled", "is required: true or false");
    }
    in.done();
    https.set(enabled, sec.getUserPrincipal().getName());
    return getHttps();
  }

  @GET
  @Path("/panel-whitelist")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "The CIDRs allowed to reach the admin API (empty: every address).")
  public Map<String, Object> get() {
    return Map.of(
        "cidrs", whitelist.cidrs(), "disabledByEnvironment", whitelist.disabledByEnvironment());
  }

  @PUT
  @Path("/panel-whitelist")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Replace the panel whitelist ({cidrs, force?}); a list without your own address is "
              + "refused (409, naming it) unless force is true.")
  public Map<String, Object> put(
      JsonValue body, @Context HttpServletRequest request, @Context SecurityContext sec) {
    JsonInput in = new JsonInput(body, Set.of("cidrs", "force"));
    List<String> cidrs = in.strings("cidrs");
    Boolean force = in.bool("force");
    if (cidrs == null) {
      in.error("cidrs", "is required (an empty array allows every address)");
    }
    in.done();
    whitelist.update(
        cidrs,
        Boolean.TRUE.equals(force),
        request.getRemoteAddr(),
        sec.getUserPrincipal().getName());
    return get();
  }
}
