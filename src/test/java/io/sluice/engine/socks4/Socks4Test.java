package io.sluice.engine.socks4;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.engine.support.TcpEcho;
import io.sluice.engine.support.TestEngine;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class Socks4Test {

  static TestEngine t;
  static TcpEcho echo;

  @BeforeAll
  static void up() throws IOException {
    t = new TestEngine();
    echo = new TcpEcho();
  }

  @AfterAll
  static void down() throws IOException {
    echo.close();
    t.close();
  }

  static byte[] socks4a(int cd, String host, int port) {
    byte[] h = host.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(8 + 5 + h.length + 1);
    b.put((byte) 4).put((byte) cd).putShort((short) port).put(new byte[] {0, 0, 0, 1});
    b.put("user".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put(h).put((byte) 0);
    return b.array();
  }

  static byte[] socks4(int port) {
    ByteBuffer b = ByteBuffer.allocate(9);
    b.put((byte) 4)
        .put((byte) 1)
        .putShort((short) port)
        .put(new byte[] {127, 0, 0, 1})
        .put((byte) 0);
    return b.array();
  }

  private static byte[] exchange(int listenerPort, byte[] request, Socket[] keep)
      throws IOException {
    Socket s = new Socket("127.0.0.1", listenerPort);
    s.setSoTimeout(5000);
    keep[0] = s;
    OutputStream out = s.getOutputStream();
    out.write(request);
    byte[] reply = new byte[8];
    new DataInputStream(s.getInputStream()).readFully(reply);
    return reply;
  }

  @Test
  void socks4aConnectWhenSourceAccepted() throws IOException {
    t.auth.acceptSource = true;
    Socket[] s = new Socket[1];
    try {
      byte[] reply = exchange(t.port("mixed"), socks4a(1, "localhost", echo.port()), s);
      assertThat(reply[0]).isEqualTo((byte) 0);
      assertThat(reply[1]).isEqualTo((byte) 0x5A);
      s[0].getOutputStream().write("four-a".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(s[0].getInputStream().readNBytes(6), StandardCharsets.US_ASCII))
          .isEqualTo("four-a");
    } finally {
      t.auth.acceptSource = false;
      s[0].close();
    }
  }

  @Test
  void socks4IpConnectOnOpenListener() throws IOException {
    Socket[] s = new Socket[1];
    try {
      byte[] reply = exchange(t.port("open"), socks4(echo.port()), s);
      assertThat(reply[1]).isEqualTo((byte) 0x5A);
      s[0].getOutputStream().write("four".getBytes(StandardCharsets.US_ASCII));
      assertThat(new String(s[0].getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
          .isEqualTo("four");
    } finally {
      s[0].close();
    }
  }

  @Test
  void socks4RejectedWhenSourceNotAccepted() throws IOException {
    t.auth.acceptSource = false;
    Socket[] s = new Socket[1];
    try {
      byte[] reply = exchange(t.port("mixed"), socks4a(1, "localhost", echo.port()), s);
      assertThat(reply[1]).isEqualTo((byte) 0x5B);
      assertThat(s[0].getInputStream().read()).isEqualTo(-1);
    } finally {
      s[0].close();
    }
  }

  @Test
  void socks4BindIsRejected() throws IOException {
    Socket[] s = new Socket[1];
    try {
      byte[] reply = exchange(t.port("open"), socks4a(2, "localhost", echo.port()), s);
      assertThat(reply[1]).isEqualTo((byte) 0x5B);
      assertThat(s[0].getInputStream().read()).isEqualTo(-1);
    } finally {
      s[0].close();
    }
  }

  @Test
  void socks4OnSocks5OnlyListenerIsNotSpoken() throws IOException {
    try (Socket s = new Socket("127.0.0.1", t.port("socks"))) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(socks4(echo.port()));
      // a SOCKS5 listener answers a non-5 version with VER 5, METHOD X'FF' and closes
      assertThat(s.getInputStream().readNBytes(3)).containsExactly(5, 0xFF);
    }
  }
}
