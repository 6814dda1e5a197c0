package io.sluice.engine.probe;

import java.net.URI;
import java.util.Locale;

/**
 * The parts of a probe URL: {@code http[s]://host[:port]/path[?query]}; {@code https} is {@link
 * #secure()}, default port 443.
 *
 * @param host the host without brackets (an IPv6 literal bare)
 * @param requestTarget the origin-form request target
 * @param hostHeader the {@code Host} header value (port omitted when it is the default)
 */
record ProbeUrl(boolean secure, String host, int port, String requestTarget, String hostHeader) {

  /** A URL that cannot be probed; the message says why. */
  static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message, null, false, false);
    }
  }

  static ProbeUrl parse(URI url) throws Invalid {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    boolean secure = scheme.equals("https");
    if (!secure && !scheme.equals("http")) {
      throw new Invalid("URL must be http[s]://host[:port]/path");
    }
    if (url.isOpaque()) {
      throw new Invalid("URL must be http[s]://host[:port]/path");
    }
    String host = url.getHost();
    if (host == null || host.isEmpty()) {
      throw new Invalid("URL has no host");
    }
    if (url.getRawUserInfo() != null) {
      throw new Invalid("URL must not carry user info");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int defaultPort = secure ? 443 : 80;
    int port = url.getPort() == -1 ? defaultPort : url.getPort();
    if (port < 1 || port > 65535) {
      throw new Invalid("URL port out of range: " + port);
    }
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    String bracketed = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    String hostHeader = port == defaultPort ? bracketed : bracketed + ":" + port;
    if (!printableAscii(target) || !printableAscii(hostHeader)) {
      throw new Invalid("URL contains characters not allowed in a request");
    }
    return new ProbeUrl(secure, host, port, target, hostHeader);
  }

  /** {@code host:port}, an IPv6 literal in brackets. */
  String authority() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  private static boolean printableAscii(String s) {
    return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }
}
