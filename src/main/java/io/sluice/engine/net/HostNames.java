package io.sluice.engine.net;

/** Syntax check of a domain name as received on the wire (RFC 1928 DST.ADDR X'03', HTTP host). */
public final class HostNames {

  private HostNames() {}

  /**
   * Letters, digits, hyphen, underscore and dots; labels of 1-63 characters; at most 253 characters
   * (a trailing dot allowed). Empty names and control characters are invalid.
   */
  public static boolean isValid(String host) {
    if (host == null || host.isEmpty() || host.length() > 254) {
      return false;
    }
    String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (h.isEmpty() || h.length() > 253) {
      return false;
    }
    int label = 0;
    for (int i = 0; i < h.length(); i++) {
      char c = h.charAt(i);
      if (c == '.') {
        if (label == 0) {
          return false;
        }
        label = 0;
        continue;
      }
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok || ++label > 63) {
        return false;
      }
    }
    return label > 0;
  }

  /**
   * Whether {@code host} is an IPv4 literal in anything but the canonical dotted-decimal form, or a
   * name that ends in a number. Such strings mean different addresses to different parsers: the JDK
   * reads {@code 0177.0.0.1} as 177.0.0.1, glibc's {@code inet_aton} as 127.0.0.1, and {@code
   * 127.1}, {@code 2130706433}, {@code 0x7f.1} or {@code 010.1.1.1} are addresses to {@code
   * inet_aton} but names (or other addresses) elsewhere. The engine refuses them instead of
   * guessing.
   *
   * <p>The rule follows the WHATWG URL "ends in a number" check: the last label (a trailing dot
   * ignored) is all decimal digits or {@code 0x} followed by hex digits, and the whole is not
   * exactly four decimal octets 0-255 without leading zeros. An IPv6 literal (brackets optional) is
   * ambiguous when it ends in an embedded IPv4 part that is not canonical. Names whose last label
   * has a letter ({@code 1.2.3.example}) and canonical quads ({@code 127.0.0.1}) are not ambiguous.
   */
  public static boolean isAmbiguousIpv4Literal(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = host;
    if (h.length() > 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
      h = h.substring(1, h.length() - 1);
    }
    int colon = h.lastIndexOf(':');
    if (colon >= 0) {
      String tail = h.substring(colon + 1);
      return tail.indexOf('.') >= 0 && !isCanonicalIpv4(tail);
    }
    int end = h.endsWith(".") ? h.length() - 1 : h.length();
    int start = h.lastIndexOf('.', end - 1) + 1;
    if (!isNumericLabel(h, start, end)) {
      return false;
    }
    return !isCanonicalIpv4(h);
  }

  /** Exactly four decimal octets 0-255, each without leading zeros: {@code 127.0.0.1}. */
  public static boolean isCanonicalIpv4(String s) {
    int octets = 0;
    int i = 0;
    int n = s.length();
    while (i <= n) {
      int j = i;
      int value = 0;
      while (j < n && s.charAt(j) >= '0' && s.charAt(j) <= '9' && j - i < 3) {
        value = value * 10 + (s.charAt(j) - '0');
        j++;
      }
      int len = j - i;
      if (len == 0 || value > 255 || (len > 1 && s.charAt(i) == '0')) {
        return false;
      }
      octets++;
      if (j == n) {
        return octets == 4;
      }
      if (s.charAt(j) != '.' || octets == 4) {
        return false;
      }
      i = j + 1;
    }
    return false;
  }

  /**
   * Decimal digits, or {@code 0x}/{@code 0X} and hex digits (possibly none), as inet_aton reads.
   */
  private static boolean isNumericLabel(String s, int start, int end) {
    if (start >= end) {
      return false;
    }
    int i = start;
    boolean hex = end - start >= 2 && s.charAt(start) == '0' && (s.charAt(start + 1) | 0x20) == 'x';
    if (hex) {
      i += 2;
    }
    for (; i < end; i++) {
      char c = s.charAt(i);
      boolean digit = c >= '0' && c <= '9';
      boolean hexLetter = hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f';
      if (!digit && !hexLetter) {
        return false;
      }
    }
    return true;
  }
}
