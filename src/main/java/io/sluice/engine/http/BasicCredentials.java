package io.sluice.engine.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Credentials of a {@code Proxy-Authorization: Basic} header (RFC 7617): base64 of {@code user-id
 * ":" password}, decoded as UTF-8. The only place the HTTP front end reads credentials from.
 */
public record BasicCredentials(String username, String password) {

  /** Parses the header value, or returns {@code null} when it is not valid Basic credentials. */
  public static BasicCredentials parse(String headerValue) {
    if (headerValue == null) {
      return null;
    }
    String v = headerValue.trim();
    int sp = v.indexOf(' ');
    if (sp < 0 || !v.substring(0, sp).equalsIgnoreCase("Basic")) {
      return null;
    }
    String decoded;
    try {
      decoded =
          new String(
              Base64.getDecoder().decode(v.substring(sp + 1).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon <= 0) {
      return null;
    }
    return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  @Override
  public String toString() {
    return "BasicCredentials[username=" + username + ", password=***]";
  }
}
