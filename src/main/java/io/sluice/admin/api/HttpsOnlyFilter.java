package io.sluice.admin.api;

import io.sluice.admin.app.HttpsPolicy;
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
 * Refuses plain-HTTP admin API, console and export requests when HTTPS is required (403, problem
 * document).
 */
@WebFilter(
    urlPatterns = {"/api/*", "/export/*", "/console/*", "/console", "/webjars/*"},
    asyncSupported = true)
public class HttpsOnlyFilter extends HttpFilter {

  @Inject HttpsPolicy https;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!req.isSecure() && https.required()) {
      res.setStatus(403);
      res.setContentType(Problems.MEDIA_TYPE);
      res.setCharacterEncoding("UTF-8");
      res.getWriter()
          .write(
              Problems.body(
                  403,
                  "https-required",
                  "HTTPS required",
                  "this server accepts the admin API over HTTPS only",
                  null));
      return;
    }
    chain.doFilter(req, res);
  }
}
