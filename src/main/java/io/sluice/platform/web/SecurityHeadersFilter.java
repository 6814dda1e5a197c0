package io.sluice.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Security headers on every response of the application: a strict Content-Security-Policy (the API
 * serves JSON only; the console's pages under {@code /console/} may load scripts, styles and images
 * from this origin only, never inline ones, and must use Trusted Types, so no HTML string can reach
 * a DOM sink), no framing, no MIME sniffing, no referrer, and HSTS (one year, with subdomains) on
 * HTTPS.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SecurityHeadersFilter extends HttpFilter {

  /** The policy of the API, exports and everything that is not the console. */
  static final String API_POLICY =
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  /**
   * The console's policy: its own scripts, styles and images (plus {@code data:} images: the TOTP
   * QR code and the style library's icons), fetches to this origin only, no inline code, no eval,
   * no plugins, no framing, and Trusted Types required with no policy allowed.
   */
  static final String CONSOLE_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; manifest-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
          + "form-action 'none'; require-trusted-types-for 'script'; trusted-types 'none'";

  /** True for the paths whose documents are console pages (HTML, scripts, styles). */
  static boolean isConsole(String path) {
    return path != null
        && (path.equals("/console")
            || path.startsWith("/console/")
            || path.startsWith("/webjars/"));
  }

  @Override
  protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    String path = req.getRequestURI().substring(req.getContextPath().length());
    res.setHeader("Content-Security-Policy", isConsole(path) ? CONSOLE_POLICY : API_POLICY);
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Cache-Control", "no-store");
    if (req.isSecure()) {
      res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    }
    chain.doFilter(req, res);
  }
}
