package io.sluice.infra.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Export links are plain Java: the JDK ({@code java.*}, {@code javax.crypto}) and commons-csv only. */
class ExportsImportsTest {

  static final Path ROOT = Path.of("src/main/java/io/sluice/infra/exports");
  static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  static final Pattern QUALIFIED = Pattern.compile(
      "(?<![\\w.])(?:jakarta\\.|javax\\.(?!crypto\\.)|io\\.netty\\.|org\\.(?!apache\\.commons\\.csv\\.)|com\\.|net\\."
          + "|io\\.sluice\\.(?!infra\\.exports\\b))[A-Za-z]");

  static List<String> violations(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(f);
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          String name = m.group(1);
          if (!name.startsWith("java.") && !name.startsWith("javax.crypto.")
              && !name.startsWith("org.apache.commons.csv.") && !name.startsWith("io.sluice.infra.exports.")) {
            found.add(f.getFileName() + ": import " + name);
          }
        }
        String code = io.sluice.testsupport.SourceScan.stripCommentsAndStrings(text)
            .replaceAll("(?m)^\\s*(?:import|package)\\s[^;]*;", "");
        Matcher q = QUALIFIED.matcher(code);
        if (q.find()) {
          found.add(f.getFileName() + ": " + q.group());
        }
      }
    }
    return found;
  }

  @Test
  void onlyJdkAndCommonsCsv() throws IOException {
    assertThat(ROOT.resolve("package-info.java")).isRegularFile();
    assertThat(violations(ROOT)).isEmpty();
  }

  @Test
  void theScanDetectsViolations(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("A.java"),
        "package x;\nimport jakarta.json.Json;\nimport org.apache.commons.csv.CSVFormat;\nimport javax.crypto.Mac;\nclass A {}\n");
    Files.writeString(dir.resolve("B.java"), "package x;\nclass B { org.apache.commons.lang3.StringUtils s; }\n");
    Files.writeString(dir.resolve("C.java"), "package x;\nclass C { javax.naming.Context c; io.sluice.infra.crypto.SecretBox b; }\n");
    assertThat(violations(dir)).containsExactly(
        "A.java: import jakarta.json.Json", "B.java: org.a", "C.java: javax.n");
  }
}
