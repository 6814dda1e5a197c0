package io.sluice.alerts.domain;

/** HTML escaping for values put in email and Telegram HTML. */
public final class Html {

  private Html() {}

  /** Escapes {@code & < > " '}: what Telegram's HTML parse mode and HTML mail need. */
  public static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
