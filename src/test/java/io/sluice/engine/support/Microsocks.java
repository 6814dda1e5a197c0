package io.sluice.engine.support;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real upstream SOCKS5 server: the {@code microsocks} binary (Debian package {@code microsocks})
 * as a child process on 127.0.0.1, optionally with username/password. The test is skipped
 * (assumption) when the binary is missing.
 */
public final class Microsocks implements AutoCloseable {

  private final Process process;
  private final int port;

  private Microsocks(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  public static String binary() {
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
      File f = new File(dir, "microsocks");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  /** Starts microsocks; {@code user} null for no authentication. */
  public static Microsocks start(String user, String password)
      throws IOException, InterruptedException {
    return start(user, password, null);
  }

  /**
   * Starts microsocks; {@code user} null for no authentication; {@code bind} the source address of
   * its outgoing connections ({@code -b}), null for the system's choice.
   */
  public static Microsocks start(String user, String password, String bind)
      throws IOException, InterruptedException {
    String bin = binary();
    Assumptions.assumeTrue(bin != null, "microsocks not installed (apt-get install microsocks)");
    IOException last = null;
    for (int tries = 0; tries < 3; tries++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
        port = s.getLocalPort();
      }
      List<String> cmd =
          new ArrayList<>(List.of(bin, "-i", "127.0.0.1", "-p", Integer.toString(port)));
      if (user != null) {
        cmd.addAll(List.of("-u", user, "-P", password));
      }
      if (bind != null) {
        cmd.addAll(List.of("-b", bind));
      }
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline && p.isAlive()) {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress("127.0.0.1", port), 200);
          return new Microsocks(p, port);
        } catch (IOException e) {
          last = e;
          Thread.sleep(20);
        }
      }
      p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
    }
    throw new IOException("microsocks did not start", last);
  }

  public int port() {
    return port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(2, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
    }
  }
}
