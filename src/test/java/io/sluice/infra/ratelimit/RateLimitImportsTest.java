package io.sluice.infra.ratelimit;

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

/** Plain Java: the JDK, JDBC ({@code javax.sql}) and bucket4j only; no Jakarta EE, no MicroProfile. */
class RateLimitImportsTest {

  static final Path ROOT = Path.of("src/main/java/io/sluice/infra/ratelimit");
  static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  static final Pattern QUALIFIED = Pattern.compile(
      "(?<![\\w.])(jakarta\\.|javax\\.(?!sql\\.)|io\\.netty\\.|org\\.|com\\.|net\\.|io\\.sluice\\.(?!infra\\.ratelimit\\.))[A-Za-z]");

  static List<String> violations(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(f);
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          String name = m.group(1);
          if (!name.startsWith("java.") && !name.startsWith("javax.sql.")
              && !name.startsWith("io.github.bucket4j.") && !name.startsWith("io.sluice.infra.ratelimit.")) {
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
  void onlyJdkJdbcAndBucket4jImports() throws IOException {
    assertThat(ROOT.resolve("package-info.java")).isRegularFile();
    assertThat(violations(ROOT)).isEmpty();
  }

  @Test
  void theScanDetectsViolations(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("A.java"),
        "package x;\nimport jakarta.inject.Inject;\nimport javax.sql.DataSource;\nimport io.github.bucket4j.Bucket;\nclass A {}\n");
    Files.writeString(dir.resolve("B.java"), "package x;\nclass B { org.eclipse.microprofile.Foo f; int organic; javax.sql.DataSource ds; }\n");
    assertThat(violations(dir)).containsExactly("A.java: import jakarta.inject.Inject", "B.java: org.e");
  }
}
