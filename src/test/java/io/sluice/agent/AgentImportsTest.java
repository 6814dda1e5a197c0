package io.sluice.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testsupport.SourceScan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent is plain JDK plus the tunnel codec: it ships alone in sluice-agent.jar. */
class AgentImportsTest {

  static final Path ROOT = Path.of("src/main/java/io/sluice/agent");
  static final List<String> ALLOWED =
      List.of("io.sluice.agent.", "io.sluice.engine.tunnel.", "javax.net.", "javax.security.");

  @Test
  void onlyJdkAndTunnelCodecImports() throws IOException {
    assertThat(ROOT.resolve("package-info.java")).isRegularFile();
    assertThat(SourceScan.dependencyViolations(ROOT, ALLOWED)).isEmpty();
  }

  @Test
  void theScanDetectsViolations(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("A.java"), "package x;\nimport io.sluice.engine.net.HostNames;\nclass A {}\n");
    Files.writeString(dir.resolve("B.java"), "package x;\nclass B { io.netty.channel.Channel c; }\n");
    Files.writeString(dir.resolve("C.java"), "package x;\nimport jakarta.inject.Inject;\nimport javax.net.ssl.SSLContext;\n");
    assertThat(SourceScan.dependencyViolations(dir, ALLOWED))
        .containsExactly("A.java: import io.sluice.engine.net.HostNames", "B.java: io.netty.channel",
            "C.java: import jakarta.inject.Inject");
  }
}
