package io.sluice.app;

import inet.ipaddr.IPAddressString;

/**
 * Validation of destination allow-list entries ({@code CIDR:PORTS}, IPv6 in brackets:
 * {@code 127.0.0.1/32:8000-8999}, {@code [::1]/128:*}) for the admin API, so a bad entry is a
 * field error at write time instead of a surprise in the engine.
 */
final class DestinationEntries {

  private DestinationEntries() {}

  /** Returns why the entry is invalid, or {@code null} when it is valid. */
  static String problem(String entry) {
    if (entry == null || entry.isBlank()) {
      return "entries must not be empty";
    }
    String e = entry.trim();
    int colon = e.lastIndexOf(':');
    if (colon <= 0 || (e.startsWith("[") && e.lastIndexOf(']') > colon)) {
      return "'" + e + "' must be CIDR:PORTS, e.g. 10.0.0.0/8:443 or [::1]/128:8000-8999";
    }
    String cidr = e.substring(0, colon).replace("[", "").replace("]", "");
    String ports = e.substring(colon + 1);
    if (!new IPAddressString(cidr).isIPAddress()) {
      return "'" + e + "': '" + cidr + "' is not an IP address or CIDR";
    }
    if (ports.equals("*")) {
      return null;
    }
    String[] range = ports.split("-", -1);
    try {
      int lo = Integer.parseInt(range[0].trim());
      int hi = range.length == 2 ? Integer.parseInt(range[1].trim()) : lo;
      if (range.length > 2 || lo < 1 || hi > 65535 || lo > hi) {
        return "'" + e + "': ports must be *, N or LO-HI within 1-65535";
      }
    } catch (NumberFormatException nfe) {
      return "'" + e + "': ports must be *, N or LO-HI within 1-65535";
    }
    return null;
  }
}
