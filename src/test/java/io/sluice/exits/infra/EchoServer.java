package io.sluice.exits.infra;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * An IP-echo HTTP server on 127.0.0.1 (JDK HttpServer) answering the caller's address: {@code
 * /json} {@code {"ip": "..."}}, {@code /origin} httpbin style, {@code /text} plain, {@code
 * /chunked} JSON sent chunked, {@code /html} an HTML page with 200, {@code /500} an error, {@code
 * /notip} JSON whose ip is not an address, {@code /never} never answers.
 */
final class EchoServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final CountDownLatch closing = new CountDownLatch(1);

  EchoServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
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
    String ip = ex.getRemoteAddress().getAddress().getHostAddress();
    String path = ex.getRequestURI().getPath();
    switch (path) {
      case "/json" ->
          send(
              ex,
              200,
              "application/json",
              "{\n  \"ip\" : \"" + ip + "\" ,\n  \"country\": null }\n");
      case "/origin" ->
          send(ex, 200, "application/json", "{\"headers\": {}, \"origin\": \"" + ip + "\"}");
      case "/text" -> send(ex, 200, "text/plain", ip + "\n");
      case "/html" ->
          send(
              ex,
              200,
              "text/html",
              "<!DOCTYPE html><html><body><h1>Service suspended</h1><p>"
                  + ip
                  + "</p></body></html>");
      case "/500" -> send(ex, 500, "application/json", "{\"ip\": \"" + ip + "\"}");
      case "/notip" -> send(ex, 200, "application/json", "{\"ip\": \"unknown\"}");
      case "/chunked" -> {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, 0);
        try (OutputStream out = ex.getResponseBody()) {
          for (String part : new String[] {"{\"i", "p\": \"", ip, "\"}"}) {
            out.write(part.getBytes(StandardCharsets.UTF_8));
            out.flush();
          }
        }
      }
      case "/never" -> {
        try {
          closing.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ex.close();
      }
      default -> send(ex, 404, "text/plain", "not found");
    }
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", type);
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
