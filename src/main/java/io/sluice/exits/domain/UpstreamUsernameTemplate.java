package io.sluice.exits.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The username an upstream exit receives, built per connection from a template such as {@code
 * acct42-session-{session}-country-{country}} (JDK only; pure).
 *
 * <p><b>Grammar.</b> A template is a list of <em>segments</em> joined by separators {@code -} or
 * {@code _}: {@code segment ((- | _) segment)*}. A segment is either literal text (any printable
 * characters except blanks, {@code :}, {@code -}, {@code _}, <code>{</code> and <code>}</code>) or
 * exactly one placeholder: <code>{user}</code> (the Sluice user name), <code>{session}</code> (the
 * username's {@code session-KEY}), <code>{country}</code> (its {@code country-CC}, lower case) or
 * <code>{ttl}</code> (its {@code ttl-N}, minutes). A template is at most 255 characters and has at
 * least one segment; it cannot start or end with a separator or hold two in a row.
 *
 * <p><b>Missing values.</b> A placeholder without a value is left out together with its separator
 * and its <em>label</em>: the literal segment right before it, unless that segment is the first of
 * the template (the account part, which always stays). So without a session {@code
 * acct42-session-{session}-country-{country}} becomes {@code acct42-country-de}, {@code
 * user_session-{session}_country-{country}} becomes {@code user_country-de}, and {@code
 * acct42-{session}} becomes {@code acct42}. A placeholder that starts the template takes the
 * separator after it instead.
 */
public final class UpstreamUsernameTemplate {

  /** The placeholders a template may use. */
  public static final List<String> PLACEHOLDERS = List.of("user", "session", "country", "ttl");

  public static final int MAX_LENGTH = 255;

  /** The values of one connection; any may be null (missing). */
  public record Values(String user, String session, String country, Integer ttlMinutes) {
    String of(String placeholder) {
      return switch (placeholder) {
        case "user" -> user;
        case "session" -> session;
        case "country" -> country == null ? null : country.toLowerCase(Locale.ROOT);
        case "ttl" -> ttlMinutes == null ? null : Integer.toString(ttlMinutes);
        default -> throw new IllegalStateException(placeholder);
      };
    }
  }

  /** One segment: its text (literal) or placeholder name, and the separator before it (0: none). */
  private record Segment(char separator, String text, boolean placeholder) {}

  private final String template;
  private final List<Segment> segments;

  private UpstreamUsernameTemplate(String template, List<Segment> segments) {
    this.template = template;
    this.segments = List.copyOf(segments);
  }

  /**
   * Parses a template.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static UpstreamUsernameTemplate parse(String template) {
    Objects.requireNonNull(template, "template");
    if (template.isEmpty() || template.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("must be 1-" + MAX_LENGTH + " characters");
    }
    List<Segment> segments = new ArrayList<>();
    char separator = 0;
    int i = 0;
    int n = template.length();
    while (true) {
      if (i >= n || isSeparator(template.charAt(i))) {
        throw new IllegalArgumentException(
            "empty segment at position " + i + " (no separator at the start, at the end or twice)");
      }
      int end;
      if (template.charAt(i) == '{') {
        end = template.indexOf('}', i);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed '{' at position " + i);
        }
        String name = template.substring(i + 1, end);
        if (!PLACEHOLDERS.contains(name)) {
          throw new IllegalArgumentException(
              "unknown placeholder {" + name + "}; valid: {user}, {session}, {country}, {ttl}");
        }
        end++;
        if (end < n && !isSeparator(template.charAt(end))) {
          throw new IllegalArgumentException(
              "a placeholder must be a whole segment: '-' or '_' expected after {" + name + "}");
        }
        segments.add(new Segment(separator, name, true));
      } else {
        end = i;
        while (end < n && !isSeparator(template.charAt(end))) {
          char c = template.charAt(end);
          if (c == '{') {
            throw new IllegalArgumentException(
                "a placeholder must be a whole segment: '-' or '_' expected before position "
                    + end);
          }
          if (c == '}' || c == ':' || c <= ' ' || c == 0x7f) {
            throw new IllegalArgumentException(
                "character '" + c + "' at position " + end + " is not allowed");
          }
          end++;
        }
        segments.add(new Segment(separator, template.substring(i, end), false));
      }
      if (end >= n) {
        break;
      }
      separator = template.charAt(end);
      i = end + 1;
    }
    return new UpstreamUsernameTemplate(template, segments);
  }

  private static boolean isSeparator(char c) {
    return c == '-' || c == '_';
  }

  /** The template as written. */
  public String template() {
    return template;
  }

  /** Whether the template uses this placeholder ({@code session}, ...). */
  public boolean uses(String placeholder) {
    return segments.stream().anyMatch(s -> s.placeholder() && s.text().equals(placeholder));
  }

  /**
   * The username for one connection; empty only if every segment was a missing placeholder. Values
   * are inserted as they are (the username grammar already restricts them).
   */
  public String render(Values values) {
    Objects.requireNonNull(values, "values");
    // kept[k]: index into segments of the k-th kept segment, with its rendered text
    List<Integer> kept = new ArrayList<>(segments.size());
    List<String> texts = new ArrayList<>(segments.size());
    for (int i = 0; i < segments.size(); i++) {
      Segment s = segments.get(i);
      if (!s.placeholder()) {
        kept.add(i);
        texts.add(s.text());
        continue;
      }
      String value = values.of(s.text());
      if (value != null && !value.isEmpty()) {
        kept.add(i);
        texts.add(value);
        continue;
      }
      int last = kept.size() - 1;
      if (last > 0 && kept.get(last) == i - 1 && !segments.get(i - 1).placeholder()) {
        kept.remove(last); // the label before the missing value
        texts.remove(last);
      }
    }
    StringBuilder out = new StringBuilder(template.length() + 32);
    for (int k = 0; k < kept.size(); k++) {
      if (k > 0) {
        out.append(segments.get(kept.get(k)).separator());
      }
      out.append(texts.get(k));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return template;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UpstreamUsernameTemplate t && t.template.equals(template);
  }

  @Override
  public int hashCode() {
    return template.hashCode();
  }
}
