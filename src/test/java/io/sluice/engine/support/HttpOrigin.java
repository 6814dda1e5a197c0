package io.sluice.engine.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A tiny HTTP origin on 127.0.0.1 (JDK HttpServer). {@code /echo} answers with the request body;
 * {@code /chunked} answers chunked; anything else answers {@code hello <path>}. Records each
 * request's headers and remote port (to see connection reuse).
 */
public final class HttpOrigin implements AutoCloseable {

  public record Seen(
      String method, String uri, Map<String, List<String>> headers, int remotePort, byte[] body) {}

  private final HttpServer server;
  public final List<Seen> seen = new CopyOnWriteArrayList<>();

  public HttpOrigin() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    seen.add(
        new Seen(
            ex.getRequestMethod(),
            ex.getRequestURI().toString(),
            Map.copyOf(ex.getRequestHeaders()),
            ex.getRemoteAddress().getPort(),
            body));
    String path = ex.getRequestURI().getPath();
    ex.getResponseHeaders().add("Keep-Alive", "timeout=5");
    ex.getResponseHeaders().add("X-Origin", "yes");
    if (path.equals("/echo")) {
      ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    } else if (path.equals("/chunked")) {
      ex.sendResponseHeaders(200, 0);
      try (OutputStream out = ex.getResponseBody()) {
        for (int i = 0; i < 5; i++) {
          out.write(("part" + i + ";").getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      }
    } else {
      byte[] b = ("hello " + path).getBytes(StandardCharsets.US_ASCII);
      ex.sendResponseHeaders(200, "HEAD".equals(ex.getRequestMethod()) ? -1 : b.length);
      try (OutputStream out = ex.getResponseBody()) {
        if (!"HEAD".equals(ex.getRequestMethod())) {
          out.write(b);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
