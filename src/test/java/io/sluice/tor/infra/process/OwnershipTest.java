package io.sluice.tor.infra.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.tor.infra.RealTor;
import io.sluice.tor.infra.control.TorControlConnection;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tor exits by itself when the process or connection that owns it goes away. */
class OwnershipTest {

  @TempDir Path tmp;

  @Test
  void torExitsWhenItsOwningProcessIsKilled() throws Exception {
    Process owner = new ProcessBuilder("sleep", "600").start();
    try (RealTor tor = RealTor.start(RealTor.config(tmp.resolve("n"), owner.pid()))) {
      assertThat(tor.process.alive()).isTrue();
      owner.destroyForcibly().waitFor();
      // tor polls its owner's pid (every 15 s in 0.4.9)
      await().atMost(Duration.ofSeconds(40)).until(() -> !tor.process.alive());
    } finally {
      owner.destroyForcibly();
    }
  }

  @Test
  void torExitsWhenTheOwningConnectionCloses() throws Exception {
    try (RealTor tor = RealTor.start(tmp.resolve("n"))) {
      TorControlConnection c = tor.connect();
      c.command("TAKEOWNERSHIP");
      Thread.sleep(500);
      assertThat(tor.process.alive()).isTrue();
      c.close();
      await().atMost(Duration.ofSeconds(10)).until(() -> !tor.process.alive());
    }
  }
}
