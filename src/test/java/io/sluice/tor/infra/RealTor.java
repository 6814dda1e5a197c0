package io.sluice.tor.infra;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.tor.infra.control.ControlReply;
import io.sluice.tor.infra.control.TorControlConnection;
import io.sluice.tor.infra.process.NodeConfig;
import io.sluice.tor.infra.process.TorProcess;
import io.sluice.tor.infra.process.Torrc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A real tor for tests, always with {@code DisableNetwork 1}: it opens no connection outside the
 * machine (nor any SOCKS listener). Skips the test when tor is not installed (scripts/test.sh
 * installs the Debian packages {@code tor} and {@code tor-geoipdb}).
 */
public final class RealTor implements AutoCloseable {

  public static final List<String> OFFLINE = List.of("DisableNetwork 1");

  public final Path dir;
  public final TorProcess process;
  public final InetSocketAddress control;
  public final ConcurrentLinkedQueue<ControlReply> events = new ConcurrentLinkedQueue<>();

  private RealTor(Path dir, TorProcess process, InetSocketAddress control) {
    this.dir = dir;
    this.process = process;
    this.control = control;
  }

  /** The tor program, or a skipped test. */
  public static Path binary() {
    for (String d : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin")) {
      Path p = Path.of(d, "tor");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    assumeTrue(false, "tor is not installed: scripts/test.sh installs it (apt-get install tor)");
    return null;
  }

  public static NodeConfig config(Path dir, long ownerPid) {
    return new NodeConfig(binary(), dir, 0, 0, List.of(), 86400, OFFLINE, ownerPid);
  }

  public static RealTor start(Path dir) throws IOException {
    return start(config(dir, ProcessHandle.current().pid()));
  }

  public static RealTor start(NodeConfig c) throws IOException {
    Path torrc = Torrc.write(c);
    TorProcess p = TorProcess.start(c.binary(), torrc);
    InetSocketAddress a = p.controlAddress(Duration.ofSeconds(20));
    if (a == null) {
      p.stop(Duration.ofSeconds(2));
      throw new IOException(
          "tor did not write its control port: "
              + Files.readString(c.dataDirectory().resolve("stdout.log")));
    }
    return new RealTor(c.dataDirectory(), p, a);
  }

  /** A new authenticated control connection; its events are collected in {@link #events}. */
  public TorControlConnection connect() throws IOException {
    TorControlConnection c =
        TorControlConnection.open(
            control, Duration.ofSeconds(5), Thread.ofPlatform().factory(), events::add, r -> {});
    c.authenticateWithCookie(dir.resolve(Torrc.COOKIE_FILE), Duration.ofSeconds(5));
    return c;
  }

  @Override
  public void close() {
    process.stop(Duration.ofSeconds(5));
  }
}
