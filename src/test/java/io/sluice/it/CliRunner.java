package io.sluice.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.Env;
import io.sluice.cli.SluiceCli;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs the {@code sluice} CLI in this JVM with captured output, standard input and environment (no
 * terminal), against the server the build started.
 */
final class CliRunner {

  static final ObjectMapper JSON = new ObjectMapper();

  /** One run: exit code, standard output and standard error. */
  record Run(int code, String out, String err) {
    JsonNode json() {
      try {
        return JSON.readTree(out);
      } catch (IOException e) {
        throw new AssertionError("not JSON (exit " + code + ", stderr " + err + "): " + out, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Map<String, String> env = new HashMap<>();

  CliRunner(Path configHome) {
    env.put("XDG_CONFIG_HOME", configHome.toString());
    env.put("HOME", configHome.toString());
    env.put("SLUICE_URL", Api.BASE);
  }

  CliRunner with(String name, String value) {
    CliRunner copy = new CliRunner(Path.of(env.get("XDG_CONFIG_HOME")));
    copy.env.putAll(env);
    copy.env.put(name, value);
    return copy;
  }

  Run run(String... args) {
    return runWithStdin("", args);
  }

  Run runWithStdin(String stdin, String... args) {
    CommandLine cl =
        SluiceCli.commandLine(
            new Env(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), null));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    Run run = new Run(code, out.toString(), err.toString());
    record(args, run);
    return run;
  }

  /**
   * Appends the command and what it printed to {@code target/cli-transcript.txt}, the source of the
   * examples in docs/cli.md.
   */
  private static synchronized void record(String[] args, Run run) {
    StringBuilder b = new StringBuilder("$ sluice ").append(String.join(" ", args)).append('\n');
    b.append(run.out());
    if (!run.err().isEmpty()) {
      b.append(run.err());
    }
    b.append("[exit ").append(run.code()).append("]\n\n");
    try {
      java.nio.file.Files.writeString(
          Path.of("target", "cli-transcript.txt"),
          b.toString(),
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A TCP forwarder to the server whose connections come from another loopback address, so that a
   * deliberately failed login is counted against that address and not 127.0.0.1, which the other
   * tests log in from (the lockout counts failures per source address).
   */
  static final class FromAddress implements AutoCloseable {
    final ServerSocket listener;
    private final InetAddress source;

    FromAddress(String sourceIp) throws IOException {
      this.source = InetAddress.getByName(sourceIp);
      this.listener = new ServerSocket();
      listener.bind(new InetSocketAddress("127.0.0.1", 0));
      Thread t = new Thread(this::accept, "cli-it-forwarder");
      t.setDaemon(true);
      t.start();
    }

    String url() {
      return "http://127.0.0.1:" + listener.getLocalPort();
    }

    private void accept() {
      while (!listener.isClosed()) {
        try {
          Socket in = listener.accept();
          Socket out = new Socket(InetAddress.getByName("127.0.0.1"), Api.HTTP_PORT, source, 0);
          pump(in, out);
          pump(out, in);
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void pump(Socket from, Socket to) {
      Thread t =
          new Thread(
              () -> {
                try (InputStream i = from.getInputStream();
                    OutputStream o = to.getOutputStream()) {
                  i.transferTo(o);
                } catch (IOException ignored) {
                  // one side closed; closing both below ends the other pump
                } finally {
                  close(from);
                  close(to);
                }
              },
              "cli-it-pump");
      t.setDaemon(true);
      t.start();
    }

    private static void close(Socket s) {
      try {
        s.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }
}
