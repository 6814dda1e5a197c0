package io.sluice.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another Sluice server next to the one the build started: a copy of the built Liberty server
 * directory ({@code target/liberty/wlp/usr/servers/sluice}, with the same loose application, so the
 * same code) in its own user directory under {@code target/extra-servers/<name>}, started with
 * {@code server run} as a child process of the test JVM, optionally inside a network namespace
 * ({@code ip netns exec}). Environment overrides are written into the copy's {@code server.env}
 * (Liberty reads it at start), so ports, database and options differ from the build's server.
 *
 * <p>Used for several nodes on one database (a second node in the same namespace binds other ports
 * and another loopback address) and for a server inside a test namespace. The server is stopped
 * with SIGTERM ({@link #stop()}) or killed with SIGKILL ({@link #kill()}), like an operator's
 * {@code kill -9}. Its logs stay under its directory for the failure report.
 */
public final class ExtraServer implements AutoCloseable {

  private static final Path BUILT_SERVER =
      Path.of(System.getProperty("sluice.it.server.dir", "target/liberty/wlp/usr/servers/sluice"));
  private static final Path RUNTIME =
      Path.of(System.getProperty("sluice.it.wlp.dir", ".liberty/wlp"));

  private final String name;
  private final Path userDir;
  private final Path serverDir;
  private final Map<String, String> env;
  private final String netns;
  private final String host;
  private final int httpPort;
  private Process process;

  private ExtraServer(Builder b) {
    this.name = b.name;
    this.userDir = Path.of("target", "extra-servers", b.name).toAbsolutePath();
    this.serverDir = userDir.resolve("servers").resolve("sluice");
    this.env = b.env;
    this.netns = b.netns;
    this.host = b.host;
    this.httpPort = Integer.parseInt(b.env.getOrDefault("HTTP_PORT", "9080"));
  }

  /** A new server named {@code name} (also its directory under {@code target/extra-servers}). */
  public static Builder named(String name) {
    return new Builder(name);
  }

  /** Options of an extra server; {@link #start()} copies, starts and waits for readiness. */
  public static final class Builder {
    private final String name;
    private final Map<String, String> env = new LinkedHashMap<>();
    private String netns;
    private String host = "127.0.0.1";
    private boolean keepData;

    private Builder(String name) {
      if (!name.matches("[a-z0-9-]{1,32}")) {
        throw new IllegalArgumentException("server name must be [a-z0-9-]{1,32}: " + name);
      }
      this.name = name;
      // The build's server.env holds values for the one server of the build (its direct tunnel
      // port, rate-limit exemptions); an extra server starts from those and overrides them.
      env.put("SLUICE_TUNNEL_DIRECT_PORT", "0");
      for (String key : List.of("DB_URL", "DB_USER", "DB_PASSWORD", "SLUICE_SECRET_KEY")) {
        String value = System.getenv(key);
        if (value != null && !value.isBlank()) {
          env.put(key, value);
        }
      }
    }

    /** Sets an environment variable of the server (e.g. {@code HTTP_PORT}). */
    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** Its own embedded H2 database instead of the build's database (no DB_URL). */
    public Builder embeddedDatabase() {
      env.remove("DB_URL");
      env.remove("DB_USER");
      env.remove("DB_PASSWORD");
      return this;
    }

    /** Runs the server inside the named network namespace ({@code ip netns exec}). */
    public Builder netns(String namespace) {
      this.netns = namespace;
      return this;
    }

    /** The address the test reaches the server's HTTP port at (default 127.0.0.1). */
    public Builder reachableAt(String address) {
      this.host = address;
      return this;
    }

    /** Keeps the data directory of an earlier start (a restart after {@link #kill()}). */
    public Builder keepData() {
      this.keepData = true;
      return this;
    }

    /** Copies the built server, starts it and waits up to {@code timeout} for readiness. */
    public ExtraServer start(Duration timeout) throws IOException, InterruptedException {
      ExtraServer s = new ExtraServer(this);
      s.prepare(keepData);
      s.launch();
      s.awaitReady(timeout);
      return s;
    }
  }

  public String name() {
    return name;
  }

  /** {@code http://host:port} of the admin API. */
  public String baseUrl() {
    return "http://" + host + ":" + httpPort;
  }

  public Path serverDir() {
    return serverDir;
  }

  public Path messagesLog() {
    return serverDir.resolve("logs").resolve("messages.log");
  }

  /** The PID of the server's JVM (a descendant of the launcher process). */
  public Optional<ProcessHandle> jvm() {
    if (process == null) {
      return Optional.empty();
    }
    return process
        .descendants()
        .filter(p -> p.info().command().map(c -> c.endsWith("/java")).orElse(false))
        .findFirst()
        .or(() ->
            process.info().command().map(c -> c.endsWith("/java")).orElse(false)
                ? Optional.of(process.toHandle())
                : Optional.empty());
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The bootstrap admin's generated password from this server's log, if it printed one. */
  public Optional<String> generatedAdminPassword() throws IOException {
    if (!Files.exists(messagesLog())) {
      return Optional.empty();
    }
    Matcher m =
        Pattern.compile("SLUICE0020W: .*generated password: (\\S+)")
            .matcher(Files.readString(messagesLog()));
    String found = null;
    while (m.find()) {
      found = m.group(1);
    }
    return Optional.ofNullable(found);
  }

  private void prepare(boolean keepData) throws IOException {
    if (!Files.isDirectory(BUILT_SERVER) || !Files.isDirectory(RUNTIME)) {
      throw new IllegalStateException(
          "no built server at " + BUILT_SERVER + " or runtime at " + RUNTIME + " (run mvn verify)");
    }
    if (Files.exists(serverDir)) {
      deleteTree(serverDir.resolve("workarea"));
      deleteTree(serverDir.resolve("logs"));
      if (!keepData) {
        deleteTree(serverDir.resolve("data"));
        deleteTree(serverDir.resolve("resources"));
      }
    }
    Files.createDirectories(serverDir);
    try (var files = Files.list(BUILT_SERVER)) {
      for (Path p : files.toList()) {
        String n = p.getFileName().toString();
        if (List.of("logs", "workarea", "data", "resources", "server.env").contains(n)) {
          continue;
        }
        copyTree(p, serverDir.resolve(n));
      }
    }
    // The build's server.env first, then the overrides; Liberty takes the last value of a key.
    StringBuilder serverEnv = new StringBuilder();
    Path builtEnv = BUILT_SERVER.resolve("server.env");
    if (Files.exists(builtEnv)) {
      serverEnv.append(Files.readString(builtEnv)).append('\n');
    }
    env.forEach((k, v) -> serverEnv.append(k).append('=').append(v).append('\n'));
    Files.writeString(serverDir.resolve("server.env"), serverEnv);
  }

  private void launch() throws IOException {
    List<String> command = new ArrayList<>();
    if (netns != null) {
      command.addAll(List.of("ip", "netns", "exec", netns));
    }
    command.add(RUNTIME.toAbsolutePath().resolve("bin/server").toString());
    command.add("run");
    command.add("sluice");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().put("WLP_USER_DIR", userDir.toString());
    pb.environment().remove("WLP_OUTPUT_DIR");
    // server.env wins for these, but a stale value inherited from the test JVM must not leak.
    env.forEach((k, v) -> pb.environment().put(k, v));
    if (!env.containsKey("DB_URL")) {
      pb.environment().remove("DB_URL");
      pb.environment().remove("DB_USER");
      pb.environment().remove("DB_PASSWORD");
    }
    Files.createDirectories(userDir);
    pb.redirectErrorStream(true);
    pb.redirectOutput(userDir.resolve(name + ".console.log").toFile());
    process = pb.start();
  }

  private void awaitReady(Duration timeout) throws InterruptedException, IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + " before it was ready; see " + userDir);
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + "/health/ready"))
                    .timeout(Duration.ofSeconds(3))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(500);
    }
    kill();
    throw new IllegalStateException(
        name + " not ready within " + timeout + " (last: " + last + "); see " + userDir);
  }

  /** Waits for {@code /health/ready} again (after the test changed something). */
  public void awaitReadyAgain(Duration timeout) throws InterruptedException, IOException {
    awaitReady(timeout);
  }

  /** SIGKILL of the server's JVM (and the launcher), like {@code kill -9}. */
  public void kill() throws InterruptedException {
    if (process == null) {
      return;
    }
    jvm().ifPresent(ProcessHandle::destroyForcibly);
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM to the server's JVM: Liberty stops the application and exits; SIGKILL after 60 s. */
  public void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    Optional<ProcessHandle> jvm = jvm();
    jvm.ifPresent(ProcessHandle::destroy);
    if (jvm.isEmpty()) {
      process.destroy();
    }
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      kill();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(to.resolve(from.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.copy(
                file,
                to.resolve(from.relativize(file).toString()),
                StandardCopyOption.REPLACE_EXISTING);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      walk.sorted((a, b) -> b.getNameCount() - a.getNameCount())
          .forEach(p -> {
            try {
              Files.delete(p);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
    }
  }
}
