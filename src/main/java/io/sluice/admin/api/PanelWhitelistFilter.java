package io.sluice.admin.api;

import io.sluice.admin.app.PanelWhitelist;
import io.sluice.platform.problem.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * 403 for admin API and console requests (the console's pages, scripts and styles) from outside the
 * panel whitelist, before anything else runs. The redirect from {@code /} to the console says
 * nothing and is not filtered.
 */
@WebFilter(
    urlPatterns = {"/api/*", "/console/*", "/console", "/webjars/*"},
    asyncSupported = true)
public class PanelWhitelistFilter extends HttpFilter {

  @Inject PanelWhitelist whitelist;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!whitelist.allows(req.getRemoteAddr())) {
      res.setStatus(403);
      res.setContentType(Problems.MEDIA_TYPE);
      res.setCharacterEncoding("UTF-8");
      res.getWriter()
          .write(
              Problems.body(
                  403,
                  "forbidden",
                  "Forbidden",
                  "the admin API is not open to your address",
                  null));
      return;
    }
    chain.doFilter(req, res);
  }
}
