package io.sluice.admin.api;

import io.sluice.admin.app.ApiKeyService;
import io.sluice.admin.app.RateLimits;
import io.sluice.platform.problem.Problems;
import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Applies the admin API rate limits before anything else runs: 429 with {@code Retry-After} and a
 * problem document when a source address or token is over its limit. A usable API key counts
 * against its own bucket only (6,000/min by default); an unknown, revoked or forged key gets the
 * interactive limits.
 */
@WebFilter(urlPatterns = "/api/*", asyncSupported = true)
public class RateLimitFilter extends HttpFilter {

  @Inject RateLimits limits;
  @Inject ApiKeyService apiKeys;

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String ip = req.getRemoteAddr();
    boolean login =
        "POST".equals(req.getMethod()) && req.getRequestURI().endsWith("/api/v1/auth/login");
    String authorization = req.getHeader("Authorization");
    long wait;
    if (login) {
      wait = limits.login(ip);
    } else {
      Optional<ApiKeyService.ActiveKey> key = apiKeys.resolve(authorization);
      wait =
          key.isPresent()
              ? limits.apiKey(ip, key.get().id())
              : limits.api(ip, tokenKey(authorization));
    }
    if (wait > 0) {
      res.setStatus(429);
      res.setHeader("Retry-After", String.valueOf(wait));
      res.setContentType(Problems.MEDIA_TYPE);
      res.setCharacterEncoding("UTF-8");
      res.getWriter()
          .write(
              Problems.body(
                  429,
                  "too-many-requests",
                  "Too Many Requests",
                  (login ? "too many login attempts" : "too many requests")
                      + " from this address or token; retry in "
                      + wait
                      + " s",
                  null));
      return;
    }
    chain.doFilter(req, res);
  }

  private static String tokenKey(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return null;
    }
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(authorization.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
