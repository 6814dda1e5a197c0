package io.sluice.infra.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testsupport.SourceScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain Java: the JDK, JDBC ({@code javax.sql}) and bucket4j only; no Jakarta EE, no MicroProfile. */
class RateLimitImportsTest {

  static final Path ROOT = Path.of("src/main/java/io/sluice/infra/ratelimit");
  static final List<String> ALLOWED = List.of("javax.sql.", "io.github.bucket4j.", "io.sluice.infra.ratelimit.");

  @Test
  void onlyJdkJdbcAndBucket4jImports() throws IOException {
    assertThat(ROOT.resolve("package-info.java")).isRegularFile();
    assertThat(SourceScan.dependencyViolations(ROOT, ALLOWED)).isEmpty();
  }

  @Test
  void theScanDetectsViolations(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("A.java"), "package x;\nimport jakarta.inject.Inject;\nimport javax.sql.DataSource;\nimport io.github.bucket4j.Bucket;\nclass A {}\n");
    Files.writeString(dir.resolve("B.java"), "package x;\nclass B { org.eclipse.microprofile.Foo f; int organic; javax.sql.DataSource ds; }\n");
    assertThat(SourceScan.dependencyViolations(dir, ALLOWED)).containsExactly("A.java: import jakarta.inject.Inject", "B.java: org.eclipse.microprofile");
  }
}
