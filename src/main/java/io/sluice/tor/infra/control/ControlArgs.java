package io.sluice.tor.infra.control;

import java.util.regex.Pattern;

/**
 * Building command arguments that cannot smuggle a second command (control-spec section 2.2):
 * keywords are checked against a strict pattern, strings become {@code QuotedString}s with {@code
 * \} and {@code "} escaped, and CR, LF and NUL are refused everywhere, since a line end is the only
 * way to start another command.
 */
public final class ControlArgs {

  private static final Pattern KEYWORD = Pattern.compile("[A-Za-z0-9_./:\\-$~=,@]{1,512}");

  private ControlArgs() {}

  /**
   * A bare keyword (a {@code GETINFO} key, a {@code SETEVENTS} name, a fingerprint): letters,
   * digits and {@code _ . / : - $ ~ = , @} only.
   */
  public static String keyword(String s) {
    if (s == null || !KEYWORD.matcher(s).matches()) {
      throw new IllegalArgumentException(
          "not a control keyword: " + ReplyParser.printable(String.valueOf(s)));
    }
    return s;
  }

  /** {@code s} as a {@code QuotedString}; refuses CR, LF and NUL. */
  public static String quoted(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException("a control argument may not contain CR, LF or NUL");
      }
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }

  /** Refuses a whole command line that contains CR, LF or NUL. */
  static String line(String command) {
    for (int i = 0; i < command.length(); i++) {
      char c = command.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        throw new IllegalArgumentException("a control command may not contain CR, LF or NUL");
      }
    }
    return command;
  }

  /** Hex of {@code bytes}, upper case (the cookie in {@code AUTHENTICATE}). */
  static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder(bytes.length * 2);
    for (byte x : bytes) {
      b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return b.toString().toUpperCase(java.util.Locale.ROOT);
  }
}
