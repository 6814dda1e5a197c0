package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code liberty/jvm.options} starts with {@code -XX:+IgnoreUnrecognizedVMOptions} so that Java 21
 * to 24 skip {@code -XX:+UseCompactObjectHeaders} (a product flag only since Java 25). That would
 * also hide a misspelt option, so on Java 25+, where every line is known, the options without that
 * line must start a JVM.
 */
@Timeout(60)
class JvmOptionsTest {

  static final Path JVM_OPTIONS = Path.of("liberty/jvm.options");
  static final String IGNORE = "-XX:+IgnoreUnrecognizedVMOptions";

  static List<String> options() throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(JVM_OPTIONS, StandardCharsets.UTF_8)) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        out.add(l);
      }
    }
    return out;
  }

  @Test
  void compactHeadersAreGuardedForJava21() throws IOException {
    List<String> opts = options();
    assertThat(opts).contains(IGNORE, "-XX:+UseCompactObjectHeaders");
    assertThat(opts.indexOf(IGNORE)).isLessThan(opts.indexOf("-XX:+UseCompactObjectHeaders"));
  }

  @Test
  void everyOptionIsKnownToJava25() throws Exception {
    assumeTrue(Runtime.version().feature() >= 25, "needs Java 25+");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String o : options()) {
      // -Xmx1g etc. are fine to pass; the JVM only reserves the heap for -version
      if (!o.equals(IGNORE)) {
        cmd.add(o);
      }
    }
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("java %s:%n%s", cmd, out).isZero();
    assertThat(out).doesNotContain("Unrecognized", "Ignoring option");
  }
}
