package io.sluice.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;

/**
 * Gives every API request an id ({@code X-Request-Id}: the client's, if it is a sane token, or a
 * new UUID), echoes it in the response, and makes it and the source address available to the audit
 * log for the duration of the request.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class RequestContextFilter extends HttpFilter {

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String id = req.getHeader("X-Request-Id");
    if (id == null || !id.matches("[A-Za-z0-9._-]{8,64}")) {
      id = UUID.randomUUID().toString();
    }
    res.setHeader("X-Request-Id", id);
    RequestContext.set(new RequestContext.Info(id, req.getRemoteAddr()));
    try {
      chain.doFilter(req, res);
    } finally {
      RequestContext.clear();
    }
  }
}
