package io.sluice.alerts.api;

import io.sluice.alerts.app.AlertService;
import io.sluice.alerts.app.AlertSettings;
import io.sluice.alerts.domain.Delivery;
import io.sluice.alerts.domain.RuleSettings;
import io.sluice.platform.problem.ApiException;
import io.sluice.platform.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Alerts firing and past, the delivery log, and the rules' settings. */
@Path("/v1/alerts")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "alerts")
public class AlertsResource {

  @Inject AlertService alerts;
  @Inject AlertSettings settings;

  @GET
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "Alerts: 'firing' (pending and firing, oldest first) and 'history' (resolved, newest "
              + "first, at most limit).")
  public Map<String, Object> list(@QueryParam("limit") @DefaultValue("100") int limit) {
    checkLimit(limit);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("firing", alerts.live());
    out.put("history", alerts.history(limit));
    return out;
  }

  @GET
  @Path("/deliveries")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(
      summary =
          "The outbox, newest first: one row per notice and channel with its state (pending, "
              + "sent, failed), attempts and last error.")
  public Map<String, List<Delivery>> deliveries(
      @QueryParam("state") String state, @QueryParam("limit") @DefaultValue("100") int limit) {
    checkLimit(limit);
    if (state != null && !Set.of("pending", "sent", "failed").contains(state)) {
      throw ApiException.validation("state", "must be pending, sent or failed");
    }
    return Map.of("items", alerts.deliveries(state, limit));
  }

  @GET
  @Path("/rules")
  @RolesAllowed({Roles.ADMIN, Roles.VIEWER})
  @Operation(summary = "The built-in rules with their effective settings.")
  public Map<String, List<RuleSettings>> rules() {
    return Map.of("items", settings.all());
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > 1000) {
      throw ApiException.validation("limit", "must be between 1 and 1000");
    }
  }
}
