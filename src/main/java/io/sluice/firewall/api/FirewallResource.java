package io.sluice.firewall.api;

import io.sluice.firewall.app.Firewall;
import io.sluice.firewall.app.FirewallService;
import io.sluice.firewall.domain.Backend;
import io.sluice.firewall.domain.RuleLoader;
import io.sluice.platform.problem.ApiException;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The host firewall: rendered rules, check, apply, status, flush, init (docs/firewall.md). */
@Path("/v1/firewall")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "firewall")
public class FirewallResource {

  @Inject Firewall firewall;

  @GET
  @Path("ruleset")
  @Produces(MediaType.TEXT_PLAIN)
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "The rules for the current state, as nft -f or iptables-restore input.")
  public String ruleset(@QueryParam("backend") String backend) {
    Backend b = null;
    if (backend != null && !backend.isBlank()) {
      b = Backend.ofWire(backend);
      if (b == null) {
        throw ApiException.validation("backend", "must be nftables or iptables");
      }
    }
    return firewall.service().ruleset(b).combined();
  }

  @GET
  @Path("status")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "This node's firewall: backend, applied and loaded version, drift, errors.")
  public FirewallService.Status status() {
    return firewall.service().status();
  }

  @POST
  @Path("check")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Check the current rules with nft -c / iptables-restore --test.")
  public FirewallService.Applied check() {
    return firewall.service().check();
  }

  @POST
  @Path("apply")
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Check and load the rules atomically; on failure the old rules stay (422 with the error).")
  public FirewallService.Applied apply() {
    FirewallService.Applied a = firewall.service().apply("api");
    if (!a.ok()) {
      throw new ApiException(
          422, "firewall-apply-failed", "Firewall rules not loaded", a.error(), null);
    }
    return a;
  }

  @POST
  @Path("flush")
  @RolesAllowed(Roles.ADMIN)
  @Operation(summary = "Remove Sluice's table (or chains), nothing else.")
  public Map<String, Object> flush() {
    if (!firewall.service().status().applyEnabled()) {
      throw ApiException.conflict("applying firewall rules is off on this node");
    }
    RuleLoader.Result r = firewall.service().flush();
    if (!r.ok()) {
      throw new ApiException(
          422, "firewall-flush-failed", "Firewall rules not removed", r.output(), null);
    }
    return Map.of("removed", true);
  }

  @POST
  @Path("init")
  @Consumes(MediaType.APPLICATION_JSON)
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Enable IPv4/IPv6 forwarding ({persist?: true writes /etc/sysctl.d/60-sluice.conf}).")
  public FirewallService.InitResult init(JsonValue body) {
    boolean persist = false;
    if (body != null && body.getValueType() != JsonValue.ValueType.NULL) {
      JsonInput in = new JsonInput(body, Set.of("persist"));
      persist = Boolean.TRUE.equals(in.bool("persist"));
      in.done();
    }
    return firewall.service().init(persist);
  }
}
