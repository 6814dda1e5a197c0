package io.sluice.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipeLimitTest {

  @TempDir Path dir;

  private Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private Path status(int euid, String capEff) throws Exception {
    return file(
        "status",
        "Name:\tjava\nUid:\t"
            + euid
            + "\t"
            + euid
            + "\t"
            + euid
            + "\t"
            + euid
            + "\nCapInh:\t0000000000000000\nCapEff:\t"
            + capEff
            + "\n");
  }

  @Test
  void anUnprivilegedUserIsToldHowManyPipesAreFullSize() throws Exception {
    assertThat(PipeLimit.check(file("soft", "16384\n"), status(1001, "0000000000000000")))
        .hasValueSatisfying(m ->
            assertThat(m)
                .contains("16384 pages", "uid 1001", "1024 splice pipes", "about 512 tunnels"));
  }

  @Test
  void rootACapabilityOrNoLimitIsNothingToTell() throws Exception {
    Path soft = file("soft", "16384\n");
    assertThat(PipeLimit.check(soft, status(0, "000001ffffffffff"))).isEmpty();
    assertThat(PipeLimit.check(soft, status(1001, "0000000001000000"))).isEmpty(); // SYS_RESOURCE
    assertThat(PipeLimit.check(soft, status(1001, "0000000000200000"))).isEmpty(); // SYS_ADMIN
    assertThat(PipeLimit.check(file("none", "0\n"), status(1001, "0000000000000000"))).isEmpty();
  }

  @Test
  void unreadableFilesAreNothingToTell() throws Exception {
    assertThat(PipeLimit.check(dir.resolve("missing"), status(1001, "0"))).isEmpty();
    assertThat(PipeLimit.check(file("soft", "x"), status(1001, "0"))).isEmpty();
  }

  /** The real {@code /proc/self/status} is parsed: its effective uid is what {@code id -u} says. */
  @Test
  void theRealStatusFileGivesTheEffectiveUid() throws Exception {
    Path status = Path.of("/proc/self/status");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(status), "Linux only");
    Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    long expected = Long.parseLong(new String(id.getInputStream().readAllBytes()).trim());
    assertThat(id.waitFor()).isZero();
    assertThat(PipeLimit.field(Files.readAllLines(status), "Uid:", 2, 10)).isEqualTo(expected);
    assertThat(PipeLimit.field(Files.readAllLines(status), "CapEff:", 1, 16)).isNotNegative();
  }
}
