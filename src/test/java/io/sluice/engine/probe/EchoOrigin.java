package io.sluice.engine.probe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP origin on 127.0.0.1 (JDK HttpServer): {@code /ip} answers the caller's address as text,
 * {@code /status/NNN} that status with body {@code status NNN}, {@code /bytes/N} N bytes ({@code
 * x}) with Content-Length, {@code /chunked/N} N bytes chunked, {@code /slow} the address after 300
 * ms, {@code /never} never answers. Records each request's headers.
 */
final class EchoOrigin implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final CountDownLatch closing = new CountDownLatch(1);
  final List<Map<String, List<String>>> requests = new CopyOnWriteArrayList<>();

  EchoOrigin() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 100);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  private void handle(HttpExchange ex) throws IOException {
    requests.add(Map.copyOf(ex.getRequestHeaders()));
    String ip = ex.getRemoteAddress().getAddress().getHostAddress();
    String path = ex.getRequestURI().getPath();
    String[] parts = path.split("/");
    switch (parts.length > 1 ? parts[1] : "") {
      case "ip" -> send(ex, 200, ip);
      case "status" -> send(ex, Integer.parseInt(parts[2]), "status " + parts[2]);
      case "bytes" -> send(ex, 200, "x".repeat(Integer.parseInt(parts[2])));
      case "chunked" -> {
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
          int n = Integer.parseInt(parts[2]);
          for (int sent = 0; sent < n; sent += 1000) {
            out.write("x".repeat(Math.min(1000, n - sent)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
        }
      }
      case "slow" -> {
        sleep(300);
        send(ex, 200, ip);
      }
      case "never" -> {
        try {
          closing.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ex.close();
      }
      default -> send(ex, 404, "not found");
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
