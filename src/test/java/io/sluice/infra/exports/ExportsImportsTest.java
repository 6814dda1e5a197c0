package io.sluice.infra.exports;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testsupport.SourceScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export links are plain Java: the JDK ({@code java.*}, {@code javax.crypto}) and commons-csv only. */
class ExportsImportsTest {

  static final Path ROOT = Path.of("src/main/java/io/sluice/infra/exports");
  static final List<String> ALLOWED = List.of("javax.crypto.", "org.apache.commons.csv.", "io.sluice.infra.exports.");

  @Test
  void onlyJdkAndCommonsCsv() throws IOException {
    assertThat(ROOT.resolve("package-info.java")).isRegularFile();
    assertThat(SourceScan.dependencyViolations(ROOT, ALLOWED)).isEmpty();
  }

  @Test
  void theScanDetectsViolations(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("A.java"), "package x;\nimport jakarta.json.Json;\nimport org.apache.commons.csv.CSVFormat;\nimport javax.crypto.Mac;\nclass A {}\n");
    Files.writeString(dir.resolve("B.java"), "package x;\nclass B { org.apache.commons.lang3.StringUtils s; }\n");
    Files.writeString(dir.resolve("C.java"), "package x;\nclass C { javax.naming.Context c; io.sluice.infra.crypto.SecretBox b; }\n");
    assertThat(SourceScan.dependencyViolations(dir, ALLOWED)).containsExactly("A.java: import jakarta.json.Json", "B.java: org.apache.commons.lang3", "C.java: javax.naming", "C.java: io.sluice.infra.crypto");
  }
}
