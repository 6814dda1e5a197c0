package io.sluice.engine.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A raw HTTP/1.1 client over one socket: writes exact bytes, parses responses strictly. */
public final class RawHttp implements AutoCloseable {

  public record Response(int status, Map<String, String> headers, String body) {}

  public final Socket socket;
  private final InputStream in;

  public RawHttp(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(5000);
    in = socket.getInputStream();
  }

  public static String basic(String user, String pass) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
  }

  public RawHttp send(String text) throws IOException {
    socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    return this;
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        break;
      }
      if (c != '\r') {
        b.write(c);
      }
    }
    if (c == -1 && b.size() == 0) {
      throw new java.io.EOFException("connection closed");
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads one response; {@code head} true for responses to HEAD/CONNECT (no body). */
  public Response read(boolean noBody) throws IOException {
    String status = line();
    String[] parts = status.split(" ", 3);
    int code = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String l;
    while (!(l = line()).isEmpty()) {
      int colon = l.indexOf(':');
      headers.merge(
          l.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          l.substring(colon + 1).trim(),
          (a, b) -> a + ", " + b);
    }
    String body = "";
    if (!noBody && code >= 200 && code != 204 && code != 304) {
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int size;
        while ((size = Integer.parseInt(line().trim(), 16)) > 0) {
          b.write(in.readNBytes(size));
          line();
        }
        while (!line().isEmpty()) {
          // trailers
        }
        body = b.toString(StandardCharsets.ISO_8859_1);
      } else if (headers.containsKey("content-length")) {
        body =
            new String(
                in.readNBytes(Integer.parseInt(headers.get("content-length"))),
                StandardCharsets.ISO_8859_1);
      } else {
        body = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      }
    }
    return new Response(code, headers, body);
  }

  public Response read() throws IOException {
    return read(false);
  }

  public boolean closedByServer() {
    try {
      return in.read() == -1;
    } catch (IOException e) {
      return true;
    }
  }

  public InputStream in() {
    return in;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
