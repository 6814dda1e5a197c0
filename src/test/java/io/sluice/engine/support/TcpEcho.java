package io.sluice.engine.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP echo server on a loopback address; echoes until EOF, then half-closes. */
public final class TcpEcho implements AutoCloseable {

  private final ServerSocket server;

  public TcpEcho() throws IOException {
    this(InetAddress.getByName("127.0.0.1"));
  }

  public TcpEcho(InetAddress address) throws IOException {
    server = new ServerSocket(0, 50, address);
    Thread.ofVirtual().start(this::acceptLoop);
  }

  public int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        Thread.ofVirtual().start(() -> echo(s));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private static void echo(Socket s) {
    try (s) {
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      byte[] buf = new byte[16384];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      s.shutdownOutput();
    } catch (IOException e) {
      // client went away; nothing to echo
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
