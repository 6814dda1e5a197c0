package io.sluice.admin.api;

import io.sluice.admin.app.AdminService;
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
 * an admin cuts their tokens off at once.
 */
@Provider
@Priority(Priorities.AUTHORIZATION - 10)
public class ActiveAdminFilter implements ContainerRequestFilter {

  @Inject AdminService admins;

  @Override
  public void filter(ContainerRequestContext ctx) {
    SecurityContext sec = ctx.getSecurityContext();
    if (sec == null || sec.getUserPrincipal() == null) {
      return;
    }
    if (!admins.isActiveCached(sec.getUserPrincipal().getName())) {
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
