package io.sluice.engine.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.ObjIntConsumer;

/**
 * The one parser of comma-separated lists ({@code a, b, c}) in the engine's text forms, used by
 * {@link SourceWhitelist}, {@link CidrPortList} and the settings code that keeps such lists.
 *
 * <p>Two readings of the same segments (the text between commas, and before the first and after the
 * last): {@linkplain #parse(String, Function) strict}, for configuration that must be right, where
 * a blank segment is an error and every segment goes through an element parser; and {@linkplain
 * #split lenient}, for text kept in settings, which trims segments and drops empty ones. Stateless
 * and thread-safe.
 */
public final class CommaList {

  private CommaList() {}

  /**
   * Trimmed ({@link String#trim()}), non-empty entries of {@code text}, in order; null or blank
   * text gives the empty list. Never fails: doubled and trailing commas are ignored.
   */
  public static List<String> split(String text) {
    if (text == null || text.isBlank()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    forEachSegment(
        text,
        (segment, at) -> {
          String entry = segment.trim();
          if (!entry.isEmpty()) {
            out.add(entry);
          }
        });
    return List.copyOf(out);
  }

  /**
   * Each entry of {@code text} mapped by {@code element}, in order; null or blank text gives the
   * empty list. Entries go to {@code element} as written, surrounding whitespace included (so its
   * messages quote the user's text); it strips them itself. The first problem ends parsing.
   *
   * @throws IllegalArgumentException for a blank entry inside non-blank text (a doubled, leading or
   *     trailing comma), naming its position; or whatever {@code element} throws, unchanged
   */
  static <T> List<T> parse(String text, Function<String, ? extends T> element) {
    List<T> out = new ArrayList<>();
    if (text != null && !text.isBlank()) {
      addAll(text, element, out);
    }
    return out;
  }

  /**
   * The entries of all {@code texts}, each parsed as by {@link #parse(String, Function)}, in order;
   * null or no texts give the empty list.
   *
   * @param blankText the message for a null or blank element of {@code texts}, naming what an entry
   *     should look like
   * @throws IllegalArgumentException for a blank element ({@code blankText}), or as {@link
   *     #parse(String, Function)} for the first bad entry
   */
  static <T> List<T> parse(
      Collection<String> texts, String blankText, Function<String, ? extends T> element) {
    List<T> out = new ArrayList<>();
    if (texts == null) {
      return out;
    }
    for (String text : texts) {
      if (text == null || text.isBlank()) {
        throw new IllegalArgumentException(blankText);
      }
      addAll(text, element, out);
    }
    return out;
  }

  private static <T> void addAll(String text, Function<String, ? extends T> element, List<T> out) {
    forEachSegment(
        text,
        (entry, at) -> {
          if (entry.isBlank()) {
            throw new IllegalArgumentException(
                "empty entry at position "
                    + at
                    + " in \""
                    + text
                    + "\" (doubled or trailing comma?)");
          }
          out.add(element.apply(entry));
        });
  }

  /** Calls {@code action} with each segment of {@code text} and the index where it starts. */
  private static void forEachSegment(String text, ObjIntConsumer<String> action) {
    int start = 0;
    while (true) {
      int comma = text.indexOf(',', start);
      action.accept(comma < 0 ? text.substring(start) : text.substring(start, comma), start);
      if (comma < 0) {
        return;
      }
      start = comma + 1;
    }
  }
}
