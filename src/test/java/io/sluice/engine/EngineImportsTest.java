package io.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The engine stays plain Java: no Jakarta EE, JPA or MicroProfile anywhere under it. */
class EngineImportsTest {

  static final Pattern FORBIDDEN = Pattern.compile(
      "^\\s*import\\s+(static\\s+)?(jakarta\\.|javax\\.persistence\\.|org\\.eclipse\\.microprofile\\.)",
      Pattern.MULTILINE);
  static final Pattern QUALIFIED = Pattern.compile("\\b(jakarta|javax\\.persistence|org\\.eclipse\\.microprofile)\\.[A-Za-z]");

  static List<String> violations(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(f);
        if (FORBIDDEN.matcher(text).find() || QUALIFIED.matcher(text.replaceAll("(?s)/\\*.*?\\*/|//[^\\n]*", "")).find()) {
          found.add(root.relativize(f).toString());
        }
      }
    }
    return found;
  }

  @Test
  void noEnterpriseImportsInTheEngine() throws IOException {
    Path root = Path.of("src/main/java/io/sluice/engine");
    assertThat(root).isDirectory();
    assertThat(violations(root)).isEmpty();
  }

  @Test
  void theScanDetectsAViolation(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("Bad.java"), "package x;\nimport jakarta.inject.Inject;\nclass Bad {}\n");
    Files.writeString(dir.resolve("Bad2.java"), "package x;\nclass Bad2 { javax.persistence.EntityManager em; }\n");
    Files.writeString(dir.resolve("Good.java"), "package x;\n/** mentions jakarta.ee in a comment */\nclass Good {}\n");
    assertThat(violations(dir)).containsExactlyInAnyOrder("Bad.java", "Bad2.java");
  }

  @Test
  void everyEnginePackageHasPackageInfo() throws IOException {
    Path root = Path.of("src/main/java/io/sluice/engine");
    try (Stream<Path> dirs = Files.walk(root)) {
      List<Path> missing = dirs.filter(Files::isDirectory)
          .filter(d -> {
            try (Stream<Path> s = Files.list(d)) {
              return s.anyMatch(p -> p.toString().endsWith(".java"));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .filter(d -> !Files.exists(d.resolve("package-info.java")))
          .toList();
      assertThat(missing).isEmpty();
    }
  }
}
