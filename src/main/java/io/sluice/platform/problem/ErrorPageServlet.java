package io.sluice.platform.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.UUID;

/**
 * The error page (web.xml) for errors the container raises itself before JAX-RS runs, such as 401
 * from the JWT authentication or 404 for a path outside every resource, and for exceptions thrown
 * by servlet filters (the rate limit reads PostgreSQL before any resource runs): answers with a
 * problem document instead of an empty body or an HTML page. A database that cannot be reached is
 * 503 {@code database-unavailable}; any other exception is a 500 whose error id is in the log.
 */
@WebServlet(urlPatterns = "/error/problem")
public class ErrorPageServlet extends HttpServlet {

  private static final Logger LOG = System.getLogger(ErrorPageServlet.class.getName());

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    Object thrown = req.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    int status = code instanceof Integer i ? i : 404;
    String type = Problems.type(status);
    String title = Problems.title(status);
    String detail =
        switch (status) {
          case 401 -> "a valid bearer token is required; log in with POST /api/v1/auth/login";
          case 403 -> "your role does not allow this operation";
          case 404 -> "no such resource";
          case 405 -> "method not allowed on this resource";
          default -> status >= 500 ? "unexpected server error; see the server log" : null;
        };
    if (thrown instanceof Throwable t) {
      String errorId = UUID.randomUUID().toString();
      if (DatabaseFailures.isConnectionFailure(t)) {
        LOG.log(Level.WARNING, "SLUICE0701W: database unavailable, error id " + errorId + ": " + t);
        status = 503;
        type = "database-unavailable";
        title = "Service Unavailable";
        detail = "the database cannot be reached; retry shortly (error id " + errorId + ")";
        res.setHeader("Retry-After", "5");
      } else if (status >= 500) {
        LOG.log(Level.ERROR, "SLUICE0702E: unexpected error " + errorId + ": " + t, t);
        detail = "unexpected error; see the server log for error id " + errorId;
      }
    }
    res.setStatus(status);
    res.setContentType(Problems.MEDIA_TYPE);
    res.setCharacterEncoding("UTF-8");
    res.getWriter().write(Problems.body(status, type, title, detail, null));
  }
}
