package io.sluice.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Destinations for the proxy tests, on loopback ports 18000-18999 (the range the test users'
 * destination allow list opens): an HTTP origin, a TCP echo server and a UDP echo server.
 */
final class Fixtures implements AutoCloseable {

  static final String ALLOW_V4 = "127.0.0.1/32:18000-18999";
  static final String ALLOW_V6 = "[::1]/128:18000-18999";

  final HttpServer http;
  final ServerSocket echo;
  final DatagramSocket udpEcho;
  private volatile boolean closed;

  Fixtures() throws IOException {
    http = bindHttp();
    http.createContext(
        "/hello",
        ex -> {
          byte[] body =
              ("hello from origin; proxy-authorization="
                      + ex.getRequestHeaders().getFirst("Proxy-Authorization"))
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    http.createContext(
        "/ip",
        ex -> {
          byte[] body =
              ("{\"ip\":\"" + ex.getRemoteAddress().getAddress().getHostAddress() + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    http.createContext(
        "/provider-error",
        ex -> {
          byte[] body =
              "<html><body>Your plan has expired</body></html>".getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/html");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    http.start();
    echo = bindTcp();
    Thread t = new Thread(this::acceptLoop, "it-echo");
    t.setDaemon(true);
    t.start();
    udpEcho = bindUdp();
    Thread u = new Thread(this::udpLoop, "it-udp-echo");
    u.setDaemon(true);
    u.start();
  }

  int httpPort() {
    return http.getAddress().getPort();
  }

  int echoPort() {
    return echo.getLocalPort();
  }

  int udpPort() {
    return udpEcho.getLocalPort();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = echo.accept();
        Thread h = new Thread(() -> pump(s), "it-echo-conn");
        h.setDaemon(true);
        h.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void pump(Socket s) {
    try (s;
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream()) {
      byte[] buf = new byte[8192];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // the peer went away; the echo server keeps serving others
    }
  }

  private void udpLoop() {
    byte[] buf = new byte[65535];
    while (!closed) {
      try {
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        udpEcho.receive(p);
        udpEcho.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
      } catch (IOException e) {
        return;
      }
    }
  }

  private static HttpServer bindHttp() throws IOException {
    for (int i = 0; i < 50; i++) {
      try {
        return HttpServer.create(new InetSocketAddress("127.0.0.1", port()), 50);
      } catch (IOException taken) {
        // try another port in the range
      }
    }
    throw new IOException("no free port in 18000-18999");
  }

  private static ServerSocket bindTcp() throws IOException {
    for (int i = 0; i < 50; i++) {
      try {
        return new ServerSocket(port(), 50, InetAddress.getByName("127.0.0.1"));
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IOException("no free port in 18000-18999");
  }

  private static DatagramSocket bindUdp() throws SocketException {
    for (int i = 0; i < 50; i++) {
      try {
        return new DatagramSocket(new InetSocketAddress("127.0.0.1", port()));
      } catch (SocketException taken) {
        // try another
      }
    }
    throw new SocketException("no free UDP port in 18000-18999");
  }

  /** A free loopback TCP port in the fixture range (for child processes such as microsocks). */
  static int freePort() throws IOException {
    try (ServerSocket s = bindTcp()) {
      return s.getLocalPort();
    }
  }

  private static int port() {
    return 18000 + ThreadLocalRandom.current().nextInt(1000);
  }

  @Override
  public void close() throws IOException {
    closed = true;
    http.stop(0);
    echo.close();
    udpEcho.close();
  }
}
