package io.sluice.exits.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A raw TCP server on 127.0.0.1: for each connection it reads the request head, writes a fixed
 * answer (unless {@code null}: then it stays silent) and, when {@code closeAfter}, closes. It
 * records when the client closed its side, to prove the probe closes its sockets.
 */
final class RawServer implements AutoCloseable {

  private final ServerSocket server;
  private final Thread acceptor;
  final List<Socket> accepted = new CopyOnWriteArrayList<>();

  /** Counted down each time a client closes its side of a connection. */
  final CountDownLatch clientClosed;

  RawServer(byte[] answer, boolean readHead, boolean closeAfter, int expectedCloses)
      throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    clientClosed = new CountDownLatch(expectedCloses);
    acceptor =
        Thread.ofVirtual()
            .start(() -> {
              while (!server.isClosed()) {
                Socket s;
                try {
                  s = server.accept();
                } catch (IOException e) {
                  return;
                }
                accepted.add(s);
                Thread.ofVirtual().start(() -> serve(s, answer, readHead, closeAfter));
              }
            });
  }

  private void serve(Socket s, byte[] answer, boolean readHead, boolean closeAfter) {
    try (s) {
      InputStream in = s.getInputStream();
      if (readHead) {
        readHead(in);
      }
      if (answer != null) {
        s.getOutputStream().write(answer);
        s.getOutputStream().flush();
        if (closeAfter) {
          return;
        }
      }
      while (in.read() >= 0) {
        // drain until the client closes
      }
      clientClosed.countDown();
    } catch (IOException e) {
      clientClosed.countDown();
    }
  }

  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      byte[] a = b.toByteArray();
      int n = a.length;
      if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
        break;
      }
    }
    return b.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  int port() {
    return server.getLocalPort();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  boolean awaitClientClosed() throws InterruptedException {
    return clientClosed.await(3, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    server.close();
    for (Socket s : accepted) {
      s.close();
    }
    acceptor.join(2000);
  }
}
