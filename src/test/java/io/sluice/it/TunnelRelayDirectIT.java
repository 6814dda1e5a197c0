package io.sluice.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link TunnelRelayIT} again, with agents that take direct streams ({@code --direct
 * auto} against the server's data port {@code SLUICE_TUNNEL_DIRECT_PORT=29080},
 * liberty/server.env): each stream's bytes travel over a TCP connection of its own from the agent
 * to the data port instead of WebSocket frames. Plus what only the data port has: pairing is
 * counted, and a connection with a wrong preamble or an unknown key is closed without a byte.
 */
class TunnelRelayDirectIT extends TunnelRelayIT {

  static final int DATA_PORT = Integer.getInteger("sluice.it.direct.port", 29080);

  @Override
  String direct() {
    return "auto";
  }

  static double directConnections(String outcome) {
    String metrics = Api.anon().accept("text/plain").get("/metrics").asString();
    Matcher m =
        Pattern.compile(
                "sluice_tunnel_direct_connections\\{[^}]*outcome=\""
                    + outcome
                    + "\"[^}]*\\} ([0-9.eE+]+)")
            .matcher(metrics);
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  @Test
  void streamsTravelOverDataConnections() throws Exception {
    String[] a = agent("direct");
    try (AgentProcess agent = AgentProcess.start("direct-" + a[0], a[1], allowAll(), direct())) {
      awaitConnected(a[0], true);
      int[] m = map(a[0], echo.getLocalPort(), Map.of());
      double before = directConnections("paired");
      assertThat(before).as("the data port's gauge is exported").isGreaterThanOrEqualTo(0);
      for (int i = 0; i < 5; i++) {
        assertThat(echoRoundTrip(m[1], 1_000_000, 20 + i)).isTrue();
      }
      assertThat(directConnections("paired")).isEqualTo(before + 5);
      await().atMost(Duration.ofSeconds(5)).until(() -> num(stats(m[0]), "activeConnections") == 0);
      Map<String, Object> s = stats(m[0]);
      assertThat(num(s, "totalConnections")).isEqualTo(5);
      assertThat(num(s, "bytesIn")).isEqualTo(5_000_000);
      assertThat(num(s, "bytesOut")).isEqualTo(5_000_000);
      assertThat(num(s, "errors")).isZero();
    }
  }

  @Test
  void agentWithDirectOffKeepsUsingTheWebSocket() throws Exception {
    String[] a = agent("nodirect");
    try (AgentProcess agent = AgentProcess.start("nodirect-" + a[0], a[1], allowAll(), "off")) {
      awaitConnected(a[0], true);
      int[] m = map(a[0], echo.getLocalPort(), Map.of());
      double before = directConnections("paired");
      assertThat(echoRoundTrip(m[1], 300_000, 30)).isTrue();
      assertThat(directConnections("paired")).isEqualTo(before);
    }
  }

  @Test
  void dataPortClosesWrongPreamblesWithoutAByte() throws Exception {
    double before = directConnections("rejected");
    byte[] unknownKey = new byte[20];
    System.arraycopy("SLD1".getBytes(StandardCharsets.US_ASCII), 0, unknownKey, 0, 4);
    assertThat(closedWithoutBytes(unknownKey)).isTrue();
    assertThat(
            closedWithoutBytes(
                "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
        .isTrue();
    assertThat(directConnections("rejected")).isEqualTo(before + 2);
  }

  /**
   * Sends {@code preamble} to the data port; true when the server closes without sending anything.
   */
  static boolean closedWithoutBytes(byte[] preamble) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", DATA_PORT), 5000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(preamble);
      out.flush();
      InputStream in = s.getInputStream();
      try {
        return in.read() == -1;
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the data port kept a bad connection open for 10 s", e);
      } catch (IOException reset) {
        return true; // closed with a reset, as intended
      }
    }
  }
}
