package io.sluice.tor.infra.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Launching (torrc, verification, start), checking and stopping one tor process, and how it exited.
 * Output goes to a file in the data directory and is never parsed: readiness comes from the control
 * port.
 */
public final class TorProcess {

  private final Process process;
  private final Path dataDirectory;

  private TorProcess(Process process, Path dataDirectory) {
    this.process = process;
    this.dataDirectory = dataDirectory;
  }

  /** The outcome of {@code tor --verify-config}. */
  public record Verdict(boolean valid, String output) {}

  /** Runs {@code tor --verify-config} on the node's torrc (waits at most {@code timeout}). */
  public static Verdict verify(Path binary, Path torrc, Duration timeout) throws IOException {
    Process p =
        new ProcessBuilder(command(binary, torrc, "--verify-config"))
            .redirectErrorStream(true)
            .start();
    try {
      p.getOutputStream().close();
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      String out = new String(p.getInputStream().readNBytes(64 * 1024), StandardCharsets.UTF_8);
      if (!done) {
        p.destroyForcibly();
        return new Verdict(false, "tor --verify-config did not finish in " + timeout);
      }
      return new Verdict(p.exitValue() == 0, problems(out));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** Starts tor on {@code torrc}; the control-port file of an earlier run is removed first. */
  public static TorProcess start(Path binary, Path torrc) throws IOException {
    Path dir = torrc.getParent();
    Files.deleteIfExists(dir.resolve(Torrc.CONTROL_PORT_FILE));
    Process p =
        new ProcessBuilder(command(binary, torrc))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    return new TorProcess(p, dir);
  }

  /** Why a node could not be launched, as its {@code failed} state shows it. */
  public static final class LaunchFailure extends Exception {
    LaunchFailure(String reason) {
      super(reason);
    }
  }

  /**
   * Writes the node's torrc, checks it with {@code tor --verify-config} (waiting at most {@code
   * verifyLimit}) and starts tor on it.
   *
   * @throws LaunchFailure when the torrc cannot be written, tor refuses it or tor does not start;
   *     nothing is worth retrying then
   */
  static TorProcess launch(NodeConfig config, Duration verifyLimit) throws LaunchFailure {
    Path torrc;
    try {
      torrc = Torrc.write(config);
      Verdict v = verify(config.binary(), torrc, verifyLimit);
      if (!v.valid()) {
        throw new LaunchFailure("tor refused the configuration: " + v.output());
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new LaunchFailure("cannot prepare the node: " + e.getMessage());
    }
    try {
      return start(config.binary(), torrc);
    } catch (IOException e) {
      throw new LaunchFailure("cannot start tor: " + e.getMessage());
    }
  }

  private static List<String> command(Path binary, Path torrc, String... more) {
    List<String> cmd = new ArrayList<>();
    cmd.add(binary.toString());
    cmd.addAll(List.of(more));
    cmd.add("--defaults-torrc");
    cmd.add("/dev/null");
    cmd.add("-f");
    cmd.add(torrc.toString());
    return cmd;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public Process process() {
    return process;
  }

  /** Whether the process exits within {@code millis} (false when interrupted). */
  public boolean exitedWithin(long millis) {
    try {
      return process.waitFor(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code status n} once the process exited (waiting up to a second), for the node's error. */
  public String exitStatus() {
    try {
      return process.waitFor(1, TimeUnit.SECONDS)
          ? "status " + process.exitValue()
          : "(still running)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }

  /**
   * The control address tor wrote ({@code PORT=127.0.0.1:n}), waiting up to {@code wait}; null when
   * the process died or the time ran out. Refuses any address that is not loopback.
   */
  public InetSocketAddress controlAddress(Duration wait) throws IOException {
    Path file = dataDirectory.resolve(Torrc.CONTROL_PORT_FILE);
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      if (Files.isRegularFile(file) && Files.size(file) > 0) {
        for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
          InetSocketAddress a = parsePortLine(line);
          if (a != null) {
            return a;
          }
        }
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  /** {@code PORT=127.0.0.1:41677} as an address; null for anything else or a non-loopback. */
  static InetSocketAddress parsePortLine(String line) throws IOException {
    if (!line.startsWith("PORT=")) {
      return null;
    }
    String v = line.substring(5).strip();
    int colon = v.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    String host = v.substring(0, colon);
    if (!host.matches("[0-9.]{7,15}")) {
      return null;
    }
    int port;
    try {
      port = Integer.parseInt(v.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    InetAddress addr = InetAddress.getByName(host);
    if (!addr.isLoopbackAddress() || port < 1 || port > 65535) {
      throw new IOException("tor's control port is not on loopback: " + v);
    }
    return new InetSocketAddress(addr, port);
  }

  /**
   * Stops tor: SIGTERM, then SIGKILL when it has not exited after {@code grace}. Returns whether
   * SIGKILL was needed.
   */
  public boolean stop(Duration grace) {
    if (!process.isAlive()) {
      return false;
    }
    process.destroy();
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  /** The warning and error lines of tor's output (its first 2000 characters). */
  static String problems(String out) {
    StringBuilder b = new StringBuilder();
    for (String line : out.split("\n")) {
      if (line.contains("[warn]") || line.contains("[err]")) {
        if (line.contains("running Tor as root")) {
          continue;
        }
        b.append(line.strip()).append('\n');
      }
    }
    String s = b.isEmpty() ? out.strip() : b.toString().strip();
    return s.length() > 2000 ? s.substring(0, 2000) : s;
  }
}
