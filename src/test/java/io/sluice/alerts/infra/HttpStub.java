package io.sluice.alerts.infra;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * A JDK HttpServer on loopback standing in for the Telegram API or a webhook receiver: it records
 * every request (path, headers, body) and answers from a queue of scripted replies (200 {@code
 * {"ok":true}} when the queue is empty).
 */
public final class HttpStub implements AutoCloseable {

  /** One request as received. */
  public record Request(
      String method, String path, Map<String, List<String>> headers, String body) {
    public String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue().get(0);
        }
      }
      return null;
    }
  }

  /** A scripted reply. */
  public record Reply(int status, String body) {}

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final LinkedBlockingDeque<Reply> replies = new LinkedBlockingDeque<>();

  public HttpStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(
        new Request(
            ex.getRequestMethod(),
            ex.getRequestURI().getPath(),
            Map.copyOf(ex.getRequestHeaders()),
            body));
    Reply r = replies.poll();
    if (r == null) {
      r = new Reply(200, "{\"ok\":true,\"result\":{}}");
    }
    byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(r.status(), out.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(out);
    }
  }

  public void reply(int status, String body) {
    replies.add(new Reply(status, body));
  }

  public List<Request> requests() {
    return requests;
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
