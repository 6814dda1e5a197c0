package io.sluice.exits.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP CONNECT proxy on 127.0.0.1: checks {@code Proxy-Authorization} (407 when wrong or
 * missing, if credentials are required), connects to the target from {@code source} (so an echo
 * server sees that address), answers {@code 200 Connection established} and pumps bytes.
 */
final class ConnectProxy implements AutoCloseable {

  private final ServerSocket server;
  private final String expectedAuth;
  private final InetAddress source;
  final List<String> heads = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  ConnectProxy(String user, String password, InetAddress source) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    this.expectedAuth =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    this.source = source;
    Thread.ofVirtual()
        .start(() -> {
          while (!server.isClosed()) {
            try {
              Socket s = server.accept();
              sockets.add(s);
              Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
              return;
            }
          }
        });
  }

  int port() {
    return server.getLocalPort();
  }

  private void serve(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      String head = RawServer.readHead(in);
      heads.add(head);
      String[] lines = head.split("\r\n");
      String[] request = lines[0].split(" ");
      if (!request[0].equals("CONNECT")) {
        out.write(
            "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return;
      }
      if (expectedAuth != null) {
        String auth = null;
        for (String line : lines) {
          if (line.regionMatches(true, 0, "Proxy-Authorization:", 0, 20)) {
            auth = line.substring(20).strip();
          }
        }
        if (!expectedAuth.equals(auth)) {
          out.write(
              ("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"t\"\r\n"
                      + "Content-Length: 0\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
          return;
        }
      }
      String target = request[1];
      int colon = target.lastIndexOf(':');
      String host = target.substring(0, colon).replace("[", "").replace("]", "");
      int port = Integer.parseInt(target.substring(colon + 1));
      try (Socket upstream = new Socket()) {
        sockets.add(upstream);
        if (source != null) {
          upstream.bind(new InetSocketAddress(source, 0));
        }
        try {
          upstream.connect(new InetSocketAddress(host, port), 2000);
        } catch (IOException e) {
          out.write(
              "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
          return;
        }
        out.write(
            "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread up = Thread.ofVirtual().start(() -> pump(in, upstream));
        pump(upstream.getInputStream(), client);
        up.join(2000);
      }
    } catch (IOException | InterruptedException e) {
      // connection over
    }
  }

  private static void pump(InputStream from, Socket to) {
    byte[] buf = new byte[8192];
    try {
      int n;
      while ((n = from.read(buf)) >= 0) {
        to.getOutputStream().write(buf, 0, n);
        to.getOutputStream().flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      // one side went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
