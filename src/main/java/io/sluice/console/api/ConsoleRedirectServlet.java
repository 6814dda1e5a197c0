package io.sluice.console.api;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code /} and {@code /console} answer 302 to {@code /console/}, where the console's page is
 * served (the static files of the WAR). Everything else keeps its own mapping.
 */
@WebServlet(urlPatterns = {"", "/console"})
public class ConsoleRedirectServlet extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
    res.setStatus(HttpServletResponse.SC_FOUND);
    res.setHeader("Location", req.getContextPath() + "/console/");
  }

  @Override
  protected void doHead(HttpServletRequest req, HttpServletResponse res) throws IOException {
    doGet(req, res);
  }
}
