package io.sluice.engine.probe;

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
 * A raw TCP peer on 127.0.0.1: per connection it optionally reads a request head, writes a fixed
 * answer ({@code null}: stays silent) and closes, or keeps the connection until the client closes
 * it ({@link #clientClosed} counts those).
 */
final class RawPeer implements AutoCloseable {

  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();
  final CountDownLatch clientClosed = new CountDownLatch(1);

  RawPeer(byte[] answer, boolean readHead, boolean closeAfter) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread.ofVirtual()
        .start(() -> {
          while (!server.isClosed()) {
            try {
              Socket s = server.accept();
              accepted.add(s);
              Thread.ofVirtual().start(() -> serve(s, answer, readHead, closeAfter));
            } catch (IOException e) {
              return;
            }
          }
        });
  }

  private void serve(Socket s, byte[] answer, boolean readHead, boolean closeAfter) {
    try (s) {
      InputStream in = s.getInputStream();
      if (readHead) {
        int state = 0;
        int c;
        while (state < 4 && (c = in.read()) >= 0) {
          state = (c == '\r' && state % 2 == 0) || (c == '\n' && state % 2 == 1) ? state + 1 : 0;
        }
      }
      if (answer != null) {
        s.getOutputStream().write(answer);
        s.getOutputStream().flush();
        if (closeAfter) {
          return;
        }
      }
      while (in.read() >= 0) {
        // until the client closes
      }
      clientClosed.countDown();
    } catch (IOException e) {
      clientClosed.countDown();
    }
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
  public void close() throws IOException {
    server.close();
    for (Socket s : accepted) {
      s.close();
    }
  }
}
