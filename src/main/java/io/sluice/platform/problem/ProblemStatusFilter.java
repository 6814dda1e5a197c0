package io.sluice.platform.problem;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Liberty's MP-JWT authentication answers a missing or invalid bearer token with a bodiless 401
 * written straight into the response (no error page is involved). This filter notices such an
 * uncommitted, empty 401/403 after the chain returns and fills in the problem document.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class ProblemStatusFilter extends HttpFilter {

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    chain.doFilter(req, res);
    int status = res.getStatus();
    if ((status == 401 || status == 403) && !res.isCommitted() && res.getContentType() == null) {
      String detail =
          status == 401
              ? "a valid bearer token is required; log in with POST /api/v1/auth/login"
              : "your role does not allow this operation";
      res.setContentType(Problems.MEDIA_TYPE);
      res.setCharacterEncoding("UTF-8");
      res.getWriter()
          .write(
              Problems.body(status, Problems.type(status), Problems.title(status), detail, null));
    }
  }
}
