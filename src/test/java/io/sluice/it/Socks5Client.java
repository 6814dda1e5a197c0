package io.sluice.it;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A minimal RFC 1928/1929 client for tests that need to hold a tunnel open and watch it. */
final class Socks5Client {

  private Socks5Client() {}

  /** Opens a CONNECT tunnel and returns the socket, or throws with the REP code. */
  static Socket connect(int proxyPort, String user, String pass, String host, int port)
      throws IOException {
    Socket s = new Socket("127.0.0.1", proxyPort);
    s.setSoTimeout(5000);
    int rep = handshake(s, user, pass, host, port);
    if (rep != 0) {
      s.close();
      throw new Refused(rep);
    }
    return s;
  }

  static int handshake(Socket s, String user, String pass, String host, int port)
      throws IOException {
    OutputStream out = s.getOutputStream();
    DataInputStream in = new DataInputStream(s.getInputStream());
    out.write(new byte[] {5, 1, 2});
    out.flush();
    if (in.readUnsignedByte() != 5 || in.readUnsignedByte() != 2) {
      throw new IOException("server did not choose username/password");
    }
    byte[] u = user.getBytes(StandardCharsets.UTF_8);
    byte[] p = pass.getBytes(StandardCharsets.UTF_8);
    out.write(1);
    out.write(u.length);
    out.write(u);
    out.write(p.length);
    out.write(p);
    out.flush();
    in.readUnsignedByte();
    if (in.readUnsignedByte() != 0) {
      return -1;
    }
    byte[] h = host.getBytes(StandardCharsets.US_ASCII);
    out.write(new byte[] {5, 1, 0, 3, (byte) h.length});
    out.write(h);
    out.write(new byte[] {(byte) (port >> 8), (byte) port});
    out.flush();
    in.readUnsignedByte();
    int rep = in.readUnsignedByte();
    in.readUnsignedByte();
    int atyp = in.readUnsignedByte();
    int addrLen = atyp == 1 ? 4 : atyp == 4 ? 16 : in.readUnsignedByte();
    in.readFully(new byte[addrLen + 2]);
    return rep;
  }

  /** The proxy answered CONNECT with a non-zero REP. */
  static final class Refused extends IOException {
    final int rep;

    Refused(int rep) {
      super("SOCKS5 REP " + rep);
      this.rep = rep;
    }
  }
}
