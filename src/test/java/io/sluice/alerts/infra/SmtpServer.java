package io.sluice.alerts.infra;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real SMTP server for tests: Debian's aiosmtpd ({@code python3-aiosmtpd}, run with {@code
 * /usr/bin/python3}) with its Mailbox handler, so every message it accepts lands as a file in a
 * maildir. Skips the calling test when aiosmtpd is not installed.
 */
public final class SmtpServer implements AutoCloseable {

  private final Process process;
  private final Path maildir;
  private final int port;

  private SmtpServer(Process process, Path maildir, int port) {
    this.process = process;
    this.maildir = maildir;
    this.port = port;
  }

  /** Starts aiosmtpd on a free loopback port and waits until it accepts connections. */
  public static SmtpServer start() throws IOException, InterruptedException {
    return start(List.of());
  }

  /**
   * Starts aiosmtpd with extra options (e.g. {@code --tlscert}, {@code --tlskey}: STARTTLS offered
   * and required before any mail command).
   */
  public static SmtpServer start(List<String> options) throws IOException, InterruptedException {
    assumeTrue(
        available(),
        "aiosmtpd is not installed for /usr/bin/python3: scripts/test.sh installs it (apt-get install python3-aiosmtpd)");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("sluice-smtp");
    Path maildir = dir.resolve("mail");
    Path log = dir.resolve("aiosmtpd.log");
    List<String> command =
        new ArrayList<>(
            List.of("/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + port));
    command.addAll(options);
    command.addAll(List.of("-c", "aiosmtpd.handlers.Mailbox", maildir.toString()));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    SmtpServer server = new SmtpServer(p, maildir, port);
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return server;
      } catch (IOException notYet) {
        if (!p.isAlive()) {
          throw new IllegalStateException("aiosmtpd exited: " + Files.readString(log));
        }
        Thread.sleep(100);
      }
    }
    server.close();
    throw new IllegalStateException("aiosmtpd did not listen on " + port);
  }

  static boolean available() {
    if (!new File("/usr/bin/python3").canExecute()) {
      return false;
    }
    try {
      Process p =
          new ProcessBuilder("/usr/bin/python3", "-c", "import aiosmtpd")
              .redirectErrorStream(true)
              .start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public int port() {
    return port;
  }

  /** The raw messages received so far, oldest first. */
  public List<String> messages() throws IOException {
    Path fresh = maildir.resolve("new");
    if (!Files.isDirectory(fresh)) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(fresh)) {
      for (Path f : files.sorted(Comparator.comparing(SmtpServer::modified)).toList()) {
        out.add(Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
