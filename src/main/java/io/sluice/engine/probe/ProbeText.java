package io.sluice.engine.probe;

/**
 * Text helpers shared by {@link Probe} and {@link ProbeExchange}: walking a cause chain for a type,
 * and turning exception messages, reason phrases and host names into short, printable pieces of an
 * outcome message. Stateless.
 */
final class ProbeText {

  private ProbeText() {}

  /** {@code host:port}, an IPv6 literal in brackets. */
  static String authority(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * The first throwable of {@code type} in the cause chain of {@code t} (itself included), or null.
   */
  static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable e = t; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (type.isInstance(e)) {
        return type.cast(e);
      }
    }
    return null;
  }

  /** Whether the cause chain of {@code t} holds a {@code type}. */
  static boolean has(Throwable t, Class<? extends Throwable> type) {
    return find(t, type) != null;
  }

  /**
   * The message of {@code e} made {@linkplain #printable printable}, or its simple class name if it
   * has none.
   */
  static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : printable(m, 200);
  }

  /** {@code s} cut to {@code max} characters, control characters replaced by {@code ?}. */
  static String printable(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 3);
    for (int k = 0; k < s.length() && k < max; k++) {
      char c = s.charAt(k);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    if (s.length() > max) {
      b.append("...");
    }
    return b.toString();
  }
}
