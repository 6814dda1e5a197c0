package io.sluice.exports.domain;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Renders a proxy list as UTF-8 bytes.
 *
 * <ul>
 *   <li>{@link ExportFormat#TXT}: one {@code host:port:user:pass} line per entry, each ended by
 *       {@code \n}; IPv6 hosts in brackets. The format has no escaping, so an entry whose username
 *       or password contains {@code :} or a control character (a line break would forge extra
 *       lines) is rejected with {@link IllegalArgumentException}; the message names the entry's
 *       index, never the value.
 *   <li>{@link ExportFormat#CSV}: RFC 4180 (commons-csv, CRLF line ends) with the header row {@code
 *       host,port,username,password,scheme,label}; a null label is an empty cell. Every cell whose
 *       first character is {@code = + - @}, tab or carriage return is prefixed with a single quote
 *       (OWASP CSV injection guidance), so a spreadsheet shows it as text.
 *   <li>{@link ExportFormat#JSON}: an array of objects with the keys {@code host, port, username,
 *       password, scheme, label}; {@code port} is a number, a null label is {@code null}.
 * </ul>
 */
public final class ExportRenderer {

  static final String[] HEADER = {"host", "port", "username", "password", "scheme", "label"};

  private static final CSVFormat CSV_FORMAT = CSVFormat.RFC4180.builder().setHeader(HEADER).get();

  private ExportRenderer() {}

  public static byte[] render(List<ProxyEntry> entries, ExportFormat format) {
    Objects.requireNonNull(entries, "entries");
    Objects.requireNonNull(format, "format");
    for (int i = 0; i < entries.size(); i++) {
      Objects.requireNonNull(entries.get(i), "entries[" + i + "]");
    }
    String text =
        switch (format) {
          case TXT -> txt(entries);
          case CSV -> csv(entries);
          case JSON -> json(entries);
        };
    return text.getBytes(StandardCharsets.UTF_8);
  }

  // ---- TXT ----

  private static String txt(List<ProxyEntry> entries) {
    StringBuilder b = new StringBuilder(entries.size() * 48);
    for (int i = 0; i < entries.size(); i++) {
      ProxyEntry e = entries.get(i);
      checkTxtField(e.username(), "username", i);
      checkTxtField(e.password(), "password", i);
      if (e.ipv6Host()) {
        b.append('[').append(e.host()).append(']');
      } else {
        b.append(e.host());
      }
      b.append(':')
          .append(e.port())
          .append(':')
          .append(e.username())
          .append(':')
          .append(e.password())
          .append('\n');
    }
    return b.toString();
  }

  private static void checkTxtField(String value, String name, int index) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ':'
          || Character.isISOControl(c)
          || c == '\u2028'
          || c == '\u2029'
          || c == '\u0085') {
        throw new IllegalArgumentException(
            "entry "
                + index
                + ": "
                + name
                + " cannot be written as TXT (contains ':' or a control character)");
      }
    }
  }

  // ---- CSV ----

  private static String csv(List<ProxyEntry> entries) {
    StringWriter out = new StringWriter(64 + entries.size() * 64);
    try (CSVPrinter printer = new CSVPrinter(out, CSV_FORMAT)) {
      for (ProxyEntry e : entries) {
        printer.printRecord(
            guard(e.host()),
            Integer.toString(e.port()),
            guard(e.username()),
            guard(e.password()),
            guard(e.scheme()),
            e.label() == null ? "" : guard(e.label()));
      }
    } catch (IOException ex) {
      throw new UncheckedIOException(ex); // a StringWriter does not throw
    }
    return out.toString();
  }

  /** Prefixes a cell that a spreadsheet could read as a formula with a single quote. */
  static String guard(String cell) {
    if (!cell.isEmpty()) {
      char c = cell.charAt(0);
      if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') {
        return "'" + cell;
      }
    }
    return cell;
  }

  // ---- JSON ----

  private static String json(List<ProxyEntry> entries) {
    StringBuilder b = new StringBuilder(2 + entries.size() * 112);
    b.append('[');
    for (int i = 0; i < entries.size(); i++) {
      ProxyEntry e = entries.get(i);
      if (i > 0) {
        b.append(',');
      }
      b.append("{\"host\":");
      jsonString(b, e.host());
      b.append(",\"port\":").append(e.port());
      b.append(",\"username\":");
      jsonString(b, e.username());
      b.append(",\"password\":");
      jsonString(b, e.password());
      b.append(",\"scheme\":");
      jsonString(b, e.scheme());
      b.append(",\"label\":");
      if (e.label() == null) {
        b.append("null");
      } else {
        jsonString(b, e.label());
      }
      b.append('}');
    }
    b.append(']');
    return b.toString();
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * Appends {@code s} as a JSON string literal (RFC 8259). Escapes quote, backslash and all control
   * characters; also {@code < > &}, U+2028/U+2029 and DEL so the output is inert when sniffed as
   * HTML or embedded in a script, and unpaired surrogates as {@code \\uXXXX} so no character is
   * lost in UTF-8.
   */
  static void jsonString(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        default -> {
          boolean unpaired = false;
          if (Character.isHighSurrogate(c)) {
            if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
              b.append(c).append(s.charAt(++i));
              continue;
            }
            unpaired = true;
          } else if (Character.isLowSurrogate(c)) {
            unpaired = true;
          }
          if (c < 0x20
              || c == 0x7f
              || c == '<'
              || c == '>'
              || c == '&'
              || c == '\u2028'
              || c == '\u2029'
              || unpaired) {
            b.append("\\u")
                .append(HEX[(c >> 12) & 0xf])
                .append(HEX[(c >> 8) & 0xf])
                .append(HEX[(c >> 4) & 0xf])
                .append(HEX[c & 0xf]);
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
