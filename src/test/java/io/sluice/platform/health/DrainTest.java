package io.sluice.platform.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrainTest {

  @TempDir Path dir;

  @Test
  void drainsOnlyWhileTheMarkerExists() throws Exception {
    Path marker = dir.resolve("sluice-draining");
    Drain drain = new Drain(Optional.of(marker));
    assertThat(drain.draining()).isFalse();

    Files.createFile(marker); // what the preStop hook's touch does
    assertThat(drain.draining()).isTrue();

    Files.delete(marker);
    assertThat(drain.draining()).isFalse();
  }

  @Test
  void aMarkerLeftFromBeforeTheStartIsRemoved() throws Exception {
    Path marker = Files.createFile(dir.resolve("sluice-draining"));
    Drain drain = new Drain(Optional.of(marker));
    assertThat(drain.draining()).isTrue();

    assertThat(drain.clearStale()).isTrue();
    assertThat(drain.draining()).isFalse();
    assertThat(marker).doesNotExist();
    assertThat(drain.clearStale()).isFalse();
  }

  @Test
  void withoutAMarkerFileTheNodeNeverDrains() {
    Drain drain = new Drain(Optional.empty());
    assertThat(drain.draining()).isFalse();
    assertThat(drain.clearStale()).isFalse();
  }
}
