package io.sluice.infra.exits;

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

/** The probe is plain Java: the JDK and ipaddress ({@code inet.ipaddr}) only. */
class ExitsInfraImportsTest {

  static final Path ROOT = Path.of("src/main/java/io/sluice/infra/exits");
  static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  static final Pattern QUALIFIED = Pattern.compile(
      "(?<![\\w.])(jakarta|javax|io\\.netty|org|com|net|io\\.sluice\\.(?!infra\\.exits\\b))\\.[A-Za-z]");

  static List<String> violations(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String text = Files.readString(f);
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          String name = m.group(1);
          if (!name.startsWith("java.") && !name.startsWith("inet.ipaddr.") && !name.startsWith("io.sluice.infra.exits.")) {
            found.add(f.getFileName() + ": import " + name);
          }
        }
        String code = io.sluice.testsupport.SourceScan.stripCommentsAndStrings(text).replaceAll("(?m)^\\s*(?:import|package)\\s[^;]*;", "");
        Matcher q = QUALIFIED.matcher(code);
        if (q.find()) {
          found.add(f.getFileName() + ": " + q.group());
        }
      }
    }
    return found;
  }

  @Test
  void onlyJdkAndIpaddressImports() throws IOException {
    assertThat(ROOT.resolve("package-info.java")).isRegularFile();
    assertThat(violations(ROOT)).isEmpty();
  }

  @Test
  void theScanDetectsViolations(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("A.java"), "package x;\nimport jakarta.inject.Inject;\nimport inet.ipaddr.IPAddress;\nclass A {}\n");
    Files.writeString(dir.resolve("B.java"), "package x;\nclass B { io.netty.channel.Channel c; }\n");
    assertThat(violations(dir)).containsExactly("A.java: import jakarta.inject.Inject", "B.java: io.netty.c");
  }
}
