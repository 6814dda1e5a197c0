package io.sluice.audit.api;

import io.sluice.audit.app.AuditService;
import io.sluice.platform.db.Page;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The audit log, newest first. Read only: there is no way to change or delete events. */
@Path("/v1/audit")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
public class AuditResource {

  @Inject AuditService audit;

  @GET
  @RolesAllowed(Roles.ADMIN)
  @Operation(
      summary =
          "Audit events filtered by actor, action, target (substring) and time range [from, to), paged.")
  public Page<AuditService.Event> list(
      @QueryParam("actor") String actor,
      @QueryParam("action") String action,
      @QueryParam("target") String target,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("page") @DefaultValue("0") int page,
      @QueryParam("size") @DefaultValue("50") int size) {
    return audit.query(actor, action, target, instant("from", from), instant("to", to), page, size);
  }

  private static Instant instant(String field, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw ApiException.validation(
          field, "must be an ISO-8601 instant such as 2030-01-01T00:00:00Z");
    }
  }
}
