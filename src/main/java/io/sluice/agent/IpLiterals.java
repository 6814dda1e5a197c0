package io.sluice.agent;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Strict IP literal parsing that never asks DNS. */
final class IpLiterals {

  private static final Pattern V4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern V6_CHARS = Pattern.compile("[0-9A-Fa-f:][0-9A-Fa-f:.]*");

  private IpLiterals() {}

  /**
   * The address of an IPv4 dotted quad or an IPv6 literal (no brackets, no zone), or {@code null}
   * when {@code text} is not such a literal (then it is a name, or garbage).
   */
  static InetAddress parse(String text) {
    boolean v4 = V4.matcher(text).matches();
    boolean v6 = text.indexOf(':') >= 0 && V6_CHARS.matcher(text).matches();
    if (!v4 && !v6) {
      return null;
    }
    try {
      // A string of only digits and dots, or containing ':', is parsed by the JDK, never looked up.
      return InetAddress.getByName(text);
    } catch (UnknownHostException | IllegalArgumentException e) {
      return null;
    }
  }

  /** True if {@code text} looks like an IP literal (digits and dots only, or contains ':'). */
  static boolean looksNumeric(String text) {
    return text.indexOf(':') >= 0 || text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }
}
