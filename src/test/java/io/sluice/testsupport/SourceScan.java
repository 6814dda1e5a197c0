package io.sluice.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Helpers for tests that read the project's own source files (architecture rules). */
public final class SourceScan {

  private SourceScan() {}

  /**
   * Removes comments and the contents of string and char literals with a plain scanner (a regex
   * over long literals overflows the stack).
   */
  public static String stripCommentsAndStrings(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
        int end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c == '"' || c == '\'') {
        out.append(c).append(c);
        i++;
        while (i < n && text.charAt(i) != c) {
          i += text.charAt(i) == '\\' ? 2 : 1;
        }
        i++;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static final Pattern IMPORT =
      Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  private static final Pattern QUALIFIED = Pattern.compile(
      "(?<![\\w.])((?:jakarta|javax|io|org|com|net|inet)(?:\\.[a-z_][a-z0-9_]*)*)\\.[A-Z]");

  /**
   * The dependencies of the Java files under {@code root} that no allowed prefix covers: imports
   * ({@code "A.java: import x.y.Z"}) and fully qualified references in code, comments and string
   * literals excluded ({@code "B.java: x.y"}). {@code java.} is always allowed.
   */
  public static List<String> dependencyViolations(Path root, List<String> allowedPrefixes) throws IOException {
    List<String> allowed = new ArrayList<>(allowedPrefixes);
    allowed.add("java.");
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(f);
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          if (!covered(m.group(1) + ".", allowed)) {
            found.add(f.getFileName() + ": import " + m.group(1));
          }
        }
        String code = stripCommentsAndStrings(text).replaceAll("(?m)^\\s*(?:import|package)\\s[^;]*;", "");
        Matcher q = QUALIFIED.matcher(code);
        while (q.find()) {
          if (!covered(q.group(1) + ".", allowed)) {
            found.add(f.getFileName() + ": " + q.group(1));
          }
        }
      }
    }
    return found;
  }

  private static boolean covered(String name, List<String> allowed) {
    return allowed.stream().anyMatch(name::startsWith);
  }
}
