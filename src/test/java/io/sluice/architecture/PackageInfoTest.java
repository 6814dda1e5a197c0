package io.sluice.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every package of the product says in a {@code package-info.java} what lives there. */
class PackageInfoTest {

  static List<String> missing(Path root) throws IOException {
    try (Stream<Path> dirs = Files.walk(root)) {
      return dirs.filter(Files::isDirectory)
          .filter(d -> {
            try (Stream<Path> s = Files.list(d)) {
              return s.anyMatch(p -> p.toString().endsWith(".java"));
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          })
          .filter(d -> !Files.exists(d.resolve("package-info.java")))
          .map(d -> root.relativize(d).toString())
          .sorted()
          .toList();
    }
  }

  @Test
  void everyPackageHasPackageInfo() throws IOException {
    Path root = Path.of("src/main/java/io/sluice");
    assertThat(root).isDirectory();
    assertThat(missing(root)).isEmpty();
  }

  @Test
  void aPackageWithoutItIsReported(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("a/b"));
    Files.writeString(dir.resolve("a/A.java"), "package a;\nclass A {}\n");
    Files.writeString(dir.resolve("a/package-info.java"), "package a;\n");
    Files.writeString(dir.resolve("a/b/B.java"), "package a.b;\nclass B {}\n");
    assertThat(missing(dir)).containsExactly("a/b");
  }
}
