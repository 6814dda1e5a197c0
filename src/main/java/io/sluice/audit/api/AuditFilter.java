package io.sluice.audit.api;

import io.sluice.audit.app.AuditService;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.util.Locale;
import java.util.Set;

/**
 * Audits every state-changing admin call (any method but GET/HEAD/OPTIONS under /api/v1, except
 * login, which the login service audits itself with the attempted name): actor, action ({@code
 * <resource>.<operation>}, e.g. {@code users.disable}), target (the path), outcome.
 */
@Provider
public class AuditFilter implements ContainerResponseFilter {

  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  @Inject AuditService audit;
  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext req, ContainerResponseContext res) {
    if (READS.contains(req.getMethod())) {
      return;
    }
    String path = "/" + req.getUriInfo().getPath().replaceFirst("^/", "");
    if (path.endsWith("/auth/login")) {
      return;
    }
    String action;
    if (resource != null
        && resource.getResourceClass() != null
        && resource.getResourceMethod() != null) {
      action =
          resource
                  .getResourceClass()
                  .getSimpleName()
                  .replace("Resource", "")
                  .toLowerCase(Locale.ROOT)
              + "."
              + resource.getResourceMethod().getName();
    } else {
      action = req.getMethod().toLowerCase(Locale.ROOT) + ".unmatched";
    }
    var principal =
        req.getSecurityContext() == null ? null : req.getSecurityContext().getUserPrincipal();
    int status = res.getStatus();
    audit.recordQuietly(
        principal == null ? null : principal.getName(),
        action,
        "/api" + path,
        status < 400 ? "success" : "failure",
        status < 400 ? null : "HTTP " + status);
  }
}
