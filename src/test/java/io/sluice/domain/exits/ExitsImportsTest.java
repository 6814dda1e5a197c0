package io.sluice.domain.exits;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testsupport.SourceScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The exits domain depends on nothing but the JDK. */
class ExitsImportsTest {

  static final Path ROOT = Path.of("src/main/java/io/sluice/domain/exits");
  static final List<String> ALLOWED = List.of("io.sluice.domain.exits.");

  @Test
  void onlyJdkImports() throws IOException {
    assertThat(ROOT.resolve("package-info.java")).isRegularFile();
    assertThat(SourceScan.dependencyViolations(ROOT, ALLOWED)).isEmpty();
  }

  @Test
  void theScanDetectsViolations(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("A.java"), "package x;\nimport io.sluice.engine.spi.ExitRoute;\nclass A {}\n");
    Files.writeString(dir.resolve("B.java"), "package x;\nclass B { io.netty.channel.Channel c; }\n");
    Files.writeString(dir.resolve("C.java"), "package x;\nimport java.util.List;\n/** io.netty.Foo */\nclass C { String s = \"org.Foo\"; }\n");
    assertThat(SourceScan.dependencyViolations(dir, ALLOWED)).containsExactly("A.java: import io.sluice.engine.spi.ExitRoute", "B.java: io.netty.channel");
  }
}
