package io.sluice.exports.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The formats a proxy list can be exported in. */
public enum ExportFormat {
  TXT("text/plain; charset=utf-8", "txt"),
  CSV("text/csv; charset=utf-8", "csv"),
  JSON("application/json", "json");

  private final String mediaType;
  private final String fileExtension;

  ExportFormat(String mediaType, String fileExtension) {
    this.mediaType = mediaType;
    this.fileExtension = fileExtension;
  }

  /**
   * Parses a format name case-insensitively ({@code txt}, {@code CSV}, {@code Json}, ...); ASCII
   * letters only, no surrounding whitespace.
   *
   * @throws IllegalArgumentException for null or unknown names; the message lists the valid values
   */
  public static ExportFormat parse(String s) {
    if (s != null && s.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      for (ExportFormat f : values()) {
        if (f.name().equalsIgnoreCase(s)) {
          return f;
        }
      }
    }
    String valid =
        Arrays.stream(values())
            .map(f -> f.name().toLowerCase(Locale.ROOT))
            .collect(Collectors.joining(", "));
    throw new IllegalArgumentException(
        "unknown export format"
            + (s == null ? " (null)" : " '" + printable(s) + "'")
            + "; valid values: "
            + valid);
  }

  private static String printable(String s) {
    String cut = s.length() > 32 ? s.substring(0, 32) + "..." : s;
    StringBuilder b = new StringBuilder(cut.length());
    cut.codePoints().forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
    return b.toString();
  }

  /** The Content-Type to serve this format with, e.g. {@code text/csv; charset=utf-8}. */
  public String mediaType() {
    return mediaType;
  }

  /** The file name extension without the dot, e.g. {@code csv}. */
  public String fileExtension() {
    return fileExtension;
  }
}
