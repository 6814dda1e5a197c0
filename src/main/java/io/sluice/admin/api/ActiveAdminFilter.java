package io.sluice.admin.api;

import io.sluice.admin.app.AdminService;
import io.sluice.admin.app.ApiKeyService;
import io.sluice.platform.problem.Problems;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.ext.Provider;

/**
 * A token stays valid until it expires, but its account may have been disabled since: every
 * authenticated call checks that the account is still enabled (cached for 2 seconds), so disabling
 * an admin cuts their tokens off at once. An API key's token (principal {@code key:<name>}) is
 * checked against the key table the same way (cached for at most 5 seconds), so a revoked key is
 * refused with 401 at once on this node.
 */
@Provider
@Priority(Priorities.AUTHORIZATION - 10)
public class ActiveAdminFilter implements ContainerRequestFilter {

  @Inject AdminService admins;
  @Inject ApiKeyService apiKeys;

  @Override
  public void filter(ContainerRequestContext ctx) {
    SecurityContext sec = ctx.getSecurityContext();
    if (sec == null || sec.getUserPrincipal() == null) {
      return;
    }
    String name = sec.getUserPrincipal().getName();
    if (ApiKeyService.isKeySubject(name)) {
      if (!apiKeys.isActive(ctx.getHeaderString("Authorization"), name)) {
        ctx.abortWith(
            Problems.response(
                401, "unauthorized", "Unauthorized", "the API key is revoked or expired", null));
      }
      return;
    }
    if (!admins.isActiveCached(name)) {
      ctx.abortWith(
          Problems.response(
              401,
              "unauthorized",
              "Unauthorized",
              "the account of this token is disabled or no longer exists",
              null));
    }
  }
}
