package io.sluice.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A small upstream SOCKS5 server (RFC 1928 CONNECT, RFC 1929 username/password only) that records
 * every username it receives and relays CONNECT to the destination. It accepts any username with
 * the configured password, so the test sees exactly which username a Sluice exit sent.
 */
final class UpstreamSocks5Fixture implements AutoCloseable {

  private final ServerSocket server;
  private final String password;
  private final List<String> usernames = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  UpstreamSocks5Fixture(String password) throws IOException {
    this.password = password;
    server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(this::acceptLoop, "it-upstream-socks5");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Every username received, in order (also those of failed authentications). */
  List<String> usernames() {
    return List.copyOf(usernames);
  }

  String lastUsername() {
    List<String> all = usernames();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  void clear() {
    usernames.clear();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket s = server.accept();
        Thread h = new Thread(() -> serve(s), "it-upstream-socks5-conn");
        h.setDaemon(true);
        h.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout(15_000);
      DataInputStream in = new DataInputStream(client.getInputStream());
      OutputStream out = client.getOutputStream();
      // greeting: VER NMETHODS METHODS
      if (in.readUnsignedByte() != 5) {
        return;
      }
      byte[] methods = new byte[in.readUnsignedByte()];
      in.readFully(methods);
      boolean userPass = false;
      for (byte m : methods) {
        userPass |= m == 2;
      }
      if (!userPass) {
        out.write(new byte[] {5, (byte) 0xFF});
        return;
      }
      out.write(new byte[] {5, 2});
      out.flush();
      // RFC 1929: VER ULEN UNAME PLEN PASSWD
      if (in.readUnsignedByte() != 1) {
        return;
      }
      byte[] user = new byte[in.readUnsignedByte()];
      in.readFully(user);
      byte[] pass = new byte[in.readUnsignedByte()];
      in.readFully(pass);
      usernames.add(new String(user, StandardCharsets.UTF_8));
      boolean ok = password.equals(new String(pass, StandardCharsets.UTF_8));
      out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
      out.flush();
      if (!ok) {
        return;
      }
      // request: VER CMD RSV ATYP DST.ADDR DST.PORT
      int ver = in.readUnsignedByte();
      int cmd = in.readUnsignedByte();
      in.readUnsignedByte();
      int atyp = in.readUnsignedByte();
      String host;
      if (atyp == 1 || atyp == 4) {
        byte[] addr = new byte[atyp == 1 ? 4 : 16];
        in.readFully(addr);
        host = InetAddress.getByAddress(addr).getHostAddress();
      } else if (atyp == 3) {
        byte[] name = new byte[in.readUnsignedByte()];
        in.readFully(name);
        host = new String(name, StandardCharsets.US_ASCII);
      } else {
        return;
      }
      int port = in.readUnsignedShort();
      if (ver != 5 || cmd != 1) {
        out.write(new byte[] {5, 7, 0, 1, 0, 0, 0, 0, 0, 0});
        return;
      }
      Socket target;
      try {
        target = new Socket(host, port);
      } catch (IOException refused) {
        out.write(new byte[] {5, 5, 0, 1, 0, 0, 0, 0, 0, 0});
        return;
      }
      try (target) {
        out.write(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0, 0});
        out.flush();
        client.setSoTimeout(0);
        Thread up = new Thread(() -> copy(in, target), "it-upstream-socks5-up");
        up.setDaemon(true);
        up.start();
        copy(target.getInputStream(), client);
      }
    } catch (IOException ignored) {
      // the client went away
    }
  }

  private static void copy(InputStream from, Socket to) {
    try {
      OutputStream out = to.getOutputStream();
      byte[] buf = new byte[8192];
      int n;
      while ((n = from.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException ignored) {
      // one side closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
  }
}
