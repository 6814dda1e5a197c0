package io.sluice.domain.exits;

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

/** The exits domain depends on nothing but the JDK. */
class ExitsImportsTest {

  static final Path ROOT = Path.of("src/main/java/io/sluice/domain/exits");
  static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  static final Pattern QUALIFIED = Pattern.compile(
      "\\b(jakarta|javax|io\\.netty|org|com|net|io\\.sluice\\.(?!domain\\.exits\\b))\\.[A-Za-z]");

  static List<String> violations(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(f);
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          if (!m.group(1).startsWith("java.")) {
            found.add(f.getFileName() + ": import " + m.group(1));
          }
        }
        String code = io.sluice.testsupport.SourceScan.stripCommentsAndStrings(text);
        Matcher q = QUALIFIED.matcher(code);
        if (q.find()) {
          found.add(f.getFileName() + ": " + q.group());
        }
      }
    }
    return found;
  }

  @Test
  void onlyJdkImports() throws IOException {
    assertThat(ROOT.resolve("package-info.java")).isRegularFile();
    assertThat(violations(ROOT)).isEmpty();
  }

  @Test
  void theScanDetectsViolations(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("A.java"), "package x;\nimport io.sluice.engine.spi.ExitRoute;\nclass A {}\n");
    Files.writeString(dir.resolve("B.java"), "package x;\nclass B { io.netty.channel.Channel c; }\n");
    Files.writeString(dir.resolve("C.java"), "package x;\nimport java.util.List;\n/** io.netty.Foo */\nclass C { String s = \"org.Foo\"; }\n");
    assertThat(violations(dir)).containsExactly("A.java: import io.sluice.engine.spi.ExitRoute", "B.java: io.netty.c");
  }
}
