package io.sluice.engine.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A raw-socket SOCKS5 client for tests: every byte on the wire is explicit. */
public final class Socks5Client implements AutoCloseable {

  public final Socket socket;
  public final DataInputStream in;
  public final OutputStream out;

  public Socks5Client(int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(5000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  public byte[] read(int n) throws IOException {
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  /** Offers the methods and returns the chosen one. */
  public int greet(int... methods) throws IOException {
    byte[] b = new byte[2 + methods.length];
    b[0] = 5;
    b[1] = (byte) methods.length;
    for (int i = 0; i < methods.length; i++) {
      b[2 + i] = (byte) methods[i];
    }
    out.write(b);
    byte[] r = read(2);
    if (r[0] != 5) {
      throw new IOException("bad VER " + r[0]);
    }
    return r[1] & 0xFF;
  }

  /** RFC 1929 sub-negotiation; returns STATUS. */
  public int login(String user, String pass) throws IOException {
    byte[] u = user.getBytes(StandardCharsets.UTF_8);
    byte[] p = pass.getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[3 + u.length + p.length];
    b[0] = 1;
    b[1] = (byte) u.length;
    System.arraycopy(u, 0, b, 2, u.length);
    b[2 + u.length] = (byte) p.length;
    System.arraycopy(p, 0, b, 3 + u.length, p.length);
    out.write(b);
    byte[] r = read(2);
    return r[1] & 0xFF;
  }

  /** Greets with X'02' and logs in; fails the test on anything else. */
  public Socks5Client authenticated(String user, String pass) throws IOException {
    if (greet(2) != 2 || login(user, pass) != 0) {
      throw new IOException("login failed");
    }
    return this;
  }

  /** Sends a request with a domain DST.ADDR. */
  public void requestDomain(int cmd, String host, int port) throws IOException {
    byte[] h = host.getBytes(StandardCharsets.US_ASCII);
    byte[] b = new byte[7 + h.length];
    b[0] = 5;
    b[1] = (byte) cmd;
    b[3] = 3;
    b[4] = (byte) h.length;
    System.arraycopy(h, 0, b, 5, h.length);
    b[5 + h.length] = (byte) (port >> 8);
    b[6 + h.length] = (byte) port;
    out.write(b);
  }

  /** Sends a request with an IPv4/IPv6 DST.ADDR. */
  public void requestIp(int cmd, InetAddress address, int port) throws IOException {
    byte[] a = address.getAddress();
    byte[] b = new byte[6 + a.length];
    b[0] = 5;
    b[1] = (byte) cmd;
    b[3] = (byte) (a.length == 4 ? 1 : 4);
    System.arraycopy(a, 0, b, 4, a.length);
    b[4 + a.length] = (byte) (port >> 8);
    b[5 + a.length] = (byte) port;
    out.write(b);
  }

  /** A reply: REP and BND.ADDR:BND.PORT. */
  public record Reply(int rep, InetSocketAddress bound) {}

  public Reply reply() throws IOException {
    byte[] h = read(4);
    if (h[0] != 5) {
      throw new IOException("bad VER " + h[0]);
    }
    int atyp = h[3];
    byte[] addr = read(atyp == 1 ? 4 : atyp == 4 ? 16 : 0);
    int port = in.readUnsignedShort();
    return new Reply(h[1] & 0xFF, new InetSocketAddress(InetAddress.getByAddress(addr), port));
  }

  /** True when the server has closed the connection (EOF within the socket timeout). */
  public boolean closedByServer() {
    try {
      return in.read() == -1;
    } catch (IOException e) {
      return true; // reset counts as closed
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
