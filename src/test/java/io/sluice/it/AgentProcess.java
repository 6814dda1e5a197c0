package io.sluice.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real agent jar ({@code target/sluice-agent.jar}, built by this build) in its own JVM,
 * connected to the Liberty server under test over plain ws:// on loopback. Its output goes to
 * {@code target/it-agents/<name>.log}.
 */
final class AgentProcess implements AutoCloseable {

  static final Path JAR =
      Path.of(System.getProperty("sluice.it.agent.jar", "target/sluice-agent.jar"));

  final String name;
  final Path log;
  private final List<String> command;
  private Process process;

  private AgentProcess(String name, List<String> command) {
    this.name = name;
    this.command = command;
    this.log = Path.of("target", "it-agents", name + ".log");
  }

  /** Starts an agent with the given token and allow list (fast reconnects for tests). */
  static AgentProcess start(String name, String token, String allow) throws IOException {
    return start(name, token, allow, "auto");
  }

  /** As {@link #start(String, String, String)}, with {@code --direct auto|always|off}. */
  static AgentProcess start(String name, String token, String allow, String direct)
      throws IOException {
    return start(name, token, allow, direct, "ws://127.0.0.1:" + Api.HTTP_PORT + "/tunnel");
  }

  /** As {@link #start(String, String, String, String)}, connected to the given server URL. */
  static AgentProcess start(
      String name, String token, String allow, String direct, String serverUrl) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx64m",
                "-jar",
                JAR.toString(),
                "--server",
                serverUrl,
                "--allow",
                allow,
                "--direct",
                direct,
                "--reconnect-min",
                "100ms",
                "--reconnect-max",
                "1s",
                "--ping-interval",
                "2s"));
    AgentProcess p = new AgentProcess(name, cmd);
    p.token = token;
    // A new agent starts a new log: ids repeat when the database is recreated, and a log left by
    // an earlier run in the same target/ must not answer this run's output checks.
    Files.deleteIfExists(p.log);
    p.launch();
    return p;
  }

  private String token;

  private void launch() throws IOException {
    Files.createDirectories(log.getParent());
    ProcessBuilder b =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    b.environment().put("SLUICE_AGENT_TOKEN", token); // not on the command line
    process = b.start();
  }

  /** SIGKILL, as an operator's {@code kill -9} or an OOM killer would. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      kill();
    }
    launch();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String output() throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
