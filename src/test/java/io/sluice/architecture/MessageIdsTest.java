package io.sluice.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log message ids ({@code SLUICEnnnnX}) are unique: each number is written at exactly one place in
 * the main code, so an id found in a log leads to one line of code (docs/architecture.md).
 */
class MessageIdsTest {

  static final Pattern ID = Pattern.compile("SLUICE(\\d{4})[IWE]");

  /**
   * Message number -> the places ({@code file:line}) that write it, for numbers written more than
   * once.
   */
  static Map<String, List<String>> duplicates(Path root) throws IOException {
    Map<String, List<String>> places = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          String line = lines.get(i).trim();
          if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
            continue; // Javadoc and comments may mention an id
          }
          Matcher m = ID.matcher(lines.get(i));
          while (m.find()) {
            places
                .computeIfAbsent(m.group(1), k -> new ArrayList<>())
                .add(root.relativize(f) + ":" + (i + 1));
          }
        }
      }
    }
    places.values().removeIf(l -> l.size() < 2);
    return places;
  }

  @Test
  void everyMessageIdIsWrittenOnce() throws IOException {
    Path root = Path.of("src/main/java");
    assertThat(root).isDirectory();
    assertThat(duplicates(root)).isEmpty();
  }

  @Test
  void aRepeatedIdIsReported(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("A.java"), "class A { String a = \"SLUICE0900I: one\"; }\n");
    Files.writeString(
        dir.resolve("B.java"),
        "class B {\n  /** SLUICE0900I in a comment is fine */\n  String b = \"SLUICE0900W: two\";\n  String c = \"SLUICE0901E\";\n}\n");
    assertThat(duplicates(dir)).containsOnlyKeys("0900");
    assertThat(duplicates(dir).get("0900")).containsExactly("A.java:1", "B.java:3");
  }
}
