package io.sluice.platform.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The error page (web.xml) for errors the container raises itself before JAX-RS runs, such as 401
 * from the JWT authentication or 404 for a path outside every resource: answers with a problem
 * document instead of an empty body or an HTML page.
 */
@WebServlet(urlPatterns = "/error/problem")
public class ErrorPageServlet extends HttpServlet {

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse res) throws IOException {
    Object code = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer i ? i : 404;
    String detail =
        switch (status) {
          case 401 -> "a valid bearer token is required; log in with POST /api/v1/auth/login";
          case 403 -> "your role does not allow this operation";
          case 404 -> "no such resource";
          case 405 -> "method not allowed on this resource";
          default -> status >= 500 ? "unexpected server error; see the server log" : null;
        };
    res.setStatus(status);
    res.setContentType(Problems.MEDIA_TYPE);
    res.setCharacterEncoding("UTF-8");
    res.getWriter()
        .write(Problems.body(status, Problems.type(status), Problems.title(status), detail, null));
  }
}
