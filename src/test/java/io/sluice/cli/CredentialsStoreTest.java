package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsStoreTest {

  @TempDir Path tmp;

  static final CredentialsStore.Credentials C =
      new CredentialsStore.Credentials(
          "http://gw:9080", "ops", "access.jwt", 2_000_000_000L, "refresh-1", 2_000_100_000L);

  static Env env(Map<String, String> vars) {
    return new Env(vars, new ByteArrayInputStream(new byte[0]), null);
  }

  @Test
  void honoursXdgConfigHome() {
    CredentialsStore s =
        CredentialsStore.forEnv(env(Map.of("XDG_CONFIG_HOME", tmp.toString(), "HOME", "/nope")));
    assertThat(s.file()).isEqualTo(tmp.resolve("sluice/credentials.json"));
  }

  @Test
  void fallsBackToHomeDotConfig() {
    assertThat(CredentialsStore.forEnv(env(Map.of("HOME", tmp.toString()))).file())
        .isEqualTo(tmp.resolve(".config/sluice/credentials.json"));
    // a relative XDG_CONFIG_HOME is invalid by the XDG spec and ignored
    assertThat(
            CredentialsStore.forEnv(env(Map.of("XDG_CONFIG_HOME", "rel", "HOME", tmp.toString())))
                .file())
        .isEqualTo(tmp.resolve(".config/sluice/credentials.json"));
  }

  @Test
  void savesWithMode0600InA0700DirectoryAndLoadsBack() throws Exception {
    CredentialsStore s = new CredentialsStore(tmp.resolve("cfg/sluice/credentials.json"));
    s.save(C);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file())))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file().getParent())))
        .isEqualTo("rwx------");
    assertThat(s.load()).contains(C);
    assertThat(Files.list(s.file().getParent()).toList()).containsExactly(s.file());
  }

  @Test
  void overwritingKeepsMode0600() throws Exception {
    CredentialsStore s = new CredentialsStore(tmp.resolve("sluice/credentials.json"));
    s.save(C);
    s.save(new CredentialsStore.Credentials("http://gw:9080", "ops", "next", 1, null, 0));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(s.file())))
        .isEqualTo("rw-------");
    assertThat(s.load().orElseThrow().accessToken()).isEqualTo("next");
  }

  @Test
  void refusesAFileOthersCanRead() throws Exception {
    CredentialsStore s = new CredentialsStore(tmp.resolve("sluice/credentials.json"));
    s.save(C);
    Files.setPosixFilePermissions(s.file(), PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(s::load)
        .isInstanceOf(CliException.class)
        .hasMessageContaining("accessible by others")
        .satisfies(
            e -> assertThat(((CliException) e).exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED));
  }

  @Test
  void missingFileIsNoLoginAndDeleteSaysSo() {
    CredentialsStore s = new CredentialsStore(tmp.resolve("none/credentials.json"));
    assertThat(s.load()).isEmpty();
    assertThat(s.delete()).isFalse();
    s.save(C);
    assertThat(s.delete()).isTrue();
    assertThat(s.load()).isEmpty();
  }

  @Test
  void whileLockedExcludesAnotherHolder() throws Exception {
    CredentialsStore s = new CredentialsStore(tmp.resolve("sluice/credentials.json"));
    s.save(C);
    java.util.List<String> events =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    // FileLock is per JVM and channel: a second process would block the same way; in one JVM the
    // second lock attempt on another channel throws OverlappingFileLockException, which proves the
    // region is held.
    Thread holder =
        new Thread(() ->
            s.whileLocked(() -> {
              events.add("a-in");
              inside.countDown();
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              events.add("a-out");
              return null;
            }));
    holder.start();
    assertThat(inside.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThatThrownBy(() -> s.whileLocked(() -> "b"))
        .isInstanceOf(java.nio.channels.OverlappingFileLockException.class);
    holder.join(5000);
    assertThat(events).containsExactly("a-in", "a-out");
    assertThat(s.whileLocked(() -> "b")).isEqualTo("b");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(s.file().resolveSibling("credentials.json.lock"))))
        .isEqualTo("rw-------");
  }
}
