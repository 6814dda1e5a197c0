package io.sluice.infra.exits;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testsupport.SourceScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe needs no container: the JDK, ipaddress ({@code inet.ipaddr}), JSON-P and the engine's
 * probe API (no Netty, no other Jakarta EE).
 */
class ExitsInfraImportsTest {

  static final Path ROOT = Path.of("src/main/java/io/sluice/infra/exits");
  static final List<String> ALLOWED = List.of("inet.ipaddr.", "io.sluice.infra.exits.", "jakarta.json.",
      "io.sluice.engine.probe.", "io.sluice.engine.spi.ExitRoute", "io.sluice.engine.exit.FailureKind");

  @Test
  void onlyJdkIpaddressJsonpAndTheEngineProbeApi() throws IOException {
    assertThat(ROOT.resolve("package-info.java")).isRegularFile();
    assertThat(SourceScan.dependencyViolations(ROOT, ALLOWED)).isEmpty();
  }

  @Test
  void theScanDetectsViolations(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("A.java"), "package x;\nimport jakarta.inject.Inject;\nimport inet.ipaddr.IPAddress;\nclass A {}\n");
    Files.writeString(dir.resolve("B.java"), "package x;\nclass B { io.netty.channel.Channel c; }\n");
    assertThat(SourceScan.dependencyViolations(dir, ALLOWED)).containsExactly("A.java: import jakarta.inject.Inject", "B.java: io.netty.channel");
  }
}
