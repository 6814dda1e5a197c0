package io.sluice.engine.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny upstream SOCKS5 server (no auth) that records each CONNECT request's ATYP and DST.ADDR,
 * answers with a configurable REP (and optionally a banner in the same write as the reply), and on
 * success echoes.
 */
public final class FakeSocks5Upstream implements AutoCloseable {

  public record Request(int atyp, String host, int port) {}

  private final ServerSocket server;
  public final List<Request> requests = new CopyOnWriteArrayList<>();
  public volatile int rep;
  public volatile String banner = "";

  public FakeSocks5Upstream() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    Thread.ofVirtual()
        .start(() -> {
          while (!server.isClosed()) {
            try {
              Socket s = server.accept();
              Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
              return;
            }
          }
        });
  }

  public int port() {
    return server.getLocalPort();
  }

  private void serve(Socket s) {
    try (s) {
      s.setSoTimeout(10_000);
      DataInputStream in = new DataInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      in.readUnsignedByte();
      int n = in.readUnsignedByte();
      in.readFully(new byte[n]);
      out.write(new byte[] {5, 0});
      in.readUnsignedByte();
      in.readUnsignedByte();
      in.readUnsignedByte();
      int atyp = in.readUnsignedByte();
      String host;
      if (atyp == 3) {
        byte[] name = new byte[in.readUnsignedByte()];
        in.readFully(name);
        host = new String(name, StandardCharsets.US_ASCII);
      } else {
        byte[] a = new byte[atyp == 1 ? 4 : 16];
        in.readFully(a);
        host = InetAddress.getByAddress(a).getHostAddress();
      }
      int port = in.readUnsignedShort();
      requests.add(new Request(atyp, host, port));
      int r = rep;
      byte[] reply = {5, (byte) r, 0, 1, 127, 0, 0, 1, 0x12, 0x34};
      byte[] b = r == 0 ? banner.getBytes(StandardCharsets.US_ASCII) : new byte[0];
      byte[] all = new byte[reply.length + b.length];
      System.arraycopy(reply, 0, all, 0, reply.length);
      System.arraycopy(b, 0, all, reply.length, b.length);
      out.write(all);
      out.flush();
      if (r != 0) {
        return;
      }
      byte[] buf = new byte[8192];
      int k;
      while ((k = in.read(buf)) > 0) {
        out.write(buf, 0, k);
      }
    } catch (IOException e) {
      // client went away
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
