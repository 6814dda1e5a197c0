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
}
