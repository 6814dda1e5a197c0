package io.sluice.exits.infra;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The real {@code microsocks} SOCKS5 server as a child process on 127.0.0.1, optionally with
 * username/password and a bind address for its outgoing connections ({@code -b}).
 */
final class Microsocks implements AutoCloseable {

  private final Process process;
  private final int port;

  private Microsocks(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static Microsocks start(String user, String password, String bind)
      throws IOException, InterruptedException {
    File bin = new File("/usr/bin/microsocks");
    Assumptions.assumeTrue(
        bin.canExecute(), "microsocks not installed (apt-get install microsocks)");
    IOException last = null;
    for (int tries = 0; tries < 3; tries++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
        port = s.getLocalPort();
      }
      List<String> cmd =
          new ArrayList<>(List.of(bin.getPath(), "-i", "127.0.0.1", "-p", Integer.toString(port)));
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

  int port() {
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
