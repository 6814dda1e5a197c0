package io.sluice.admin.api;

import java.net.URI;
import java.util.Locale;

/**
 * The browser mode of the refresh token (docs/security.md, "The console in the browser"): a client
 * that sends {@value #MODE_HEADER}{@code : cookie} on login, password change and refresh gets the
 * refresh token as an {@code HttpOnly; Secure; SameSite=Strict} cookie scoped to {@value #PATH}
 * instead of in the JSON body. Calls that the cookie authenticates (refresh, and {@code DELETE} on
 * the refresh path to log out) must carry that header, which a cross-site form or a simple
 * cross-origin request cannot send, and an {@code Origin} header, when the browser sends one, must
 * be the server's own origin.
 */
public final class RefreshCookie {

  /** The cookie's name. */
  public static final String NAME = "sluice_refresh";

  /** The only path the browser sends the cookie to. */
  public static final String PATH = "/api/v1/auth/refresh";

  /** The request header that asks for (and, on refresh, proves) the cookie mode. */
  public static final String MODE_HEADER = "X-Sluice-Refresh";

  /** The value of {@link #MODE_HEADER}. */
  public static final String MODE = "cookie";

  private RefreshCookie() {}

  /** True when the request asked for the cookie mode. */
  public static boolean requested(String modeHeader) {
    return modeHeader != null && MODE.equalsIgnoreCase(modeHeader.trim());
  }

  /**
   * The {@code Set-Cookie} value carrying a refresh token. {@code Secure} is always set: browsers
   * store Secure cookies from HTTPS pages and from {@code http://localhost} / loopback addresses
   * only, so on plain HTTP elsewhere the console keeps working but a page reload asks to sign in
   * again.
   */
  public static String set(String token, long maxAgeSeconds) {
    return NAME
        + "="
        + token
        + "; Path="
        + PATH
        + "; Max-Age="
        + Math.max(0, maxAgeSeconds)
        + "; HttpOnly; Secure; SameSite=Strict";
  }

  /** The {@code Set-Cookie} value that removes the cookie. */
  public static String clear() {
    return NAME + "=; Path=" + PATH + "; Max-Age=0; HttpOnly; Secure; SameSite=Strict";
  }

  /**
   * Whether an {@code Origin} header is acceptable for a cookie-authenticated call: absent (not
   * every browser sends it on same-origin requests), or the same scheme, host and port as the
   * request URL the server saw.
   */
  public static boolean sameOrigin(String origin, String requestUrl) {
    if (origin == null || origin.isBlank()) {
      return true;
    }
    try {
      URI o = URI.create(origin.trim());
      URI r = URI.create(requestUrl);
      return o.getScheme() != null
          && o.getHost() != null
          && o.getScheme().equalsIgnoreCase(r.getScheme())
          && o.getHost().toLowerCase(Locale.ROOT).equals(r.getHost().toLowerCase(Locale.ROOT))
          && port(o) == port(r);
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  private static int port(URI u) {
    if (u.getPort() >= 0) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }
}
