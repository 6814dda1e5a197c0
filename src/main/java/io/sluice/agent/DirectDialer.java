package io.sluice.agent;

import io.sluice.engine.tunnel.Frame;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * Direct-stream setup for one {@link TunnelConnection}: opens the data connection of a stream the
 * server offered with OPEN_DIRECT (to the host of {@code --server}, on the offered data port) and
 * sends the preamble {@code "SLD1"} + key. When that fails, streams use the WebSocket for the next
 * 60 s without trying; the failure and the recovery are logged once each, never the key. Called
 * from the streams' open threads.
 */
final class DirectDialer {

  /**
   * After a failed data connection, streams use the WebSocket for this long before trying again.
   */
  private static final long DIRECT_RETRY_NANOS = Duration.ofSeconds(60).toNanos();

  private static final byte[] DIRECT_MAGIC = {'S', 'L', 'D', '1'};

  private final AgentOptions options;
  private final AgentLog log;

  private volatile long directRetryAt;
  private volatile boolean directLogged;

  DirectDialer(AgentOptions options, AgentLog log) {
    this.options = options;
    this.log = log;
  }

  /**
   * Opens the data connection of a direct stream to the server's host (from {@code --server}) on
   * {@code offer.dataPort()} and sends the preamble; null when that is not possible (then the
   * stream uses the WebSocket, and so do the streams of the next minute).
   */
  Socket dial(Frame.OpenDirect offer) {
    long now = System.nanoTime();
    if (directRetryAt != 0 && now - directRetryAt < 0) {
      return null;
    }
    String host = options.server().getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    Socket s = new Socket();
    try {
      s.setTcpNoDelay(true);
      int timeout = (int) Math.min(options.connectTimeout().toMillis(), 5_000);
      s.connect(new InetSocketAddress(host, offer.dataPort()), timeout);
      byte[] preamble = new byte[DIRECT_MAGIC.length + Frame.DIRECT_KEY_BYTES];
      System.arraycopy(DIRECT_MAGIC, 0, preamble, 0, DIRECT_MAGIC.length);
      System.arraycopy(offer.key(), 0, preamble, DIRECT_MAGIC.length, Frame.DIRECT_KEY_BYTES);
      s.getOutputStream().write(preamble);
      s.getOutputStream().flush();
      if (directLogged) {
        directLogged = false;
        log.info("direct data connections to " + host + ":" + offer.dataPort() + " work again");
      }
      directRetryAt = 0;
      return s;
    } catch (IOException | RuntimeException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing to release
      }
      directRetryAt = System.nanoTime() + DIRECT_RETRY_NANOS;
      if (!directLogged) {
        directLogged = true;
        log.info(
            "direct data connection to "
                + host
                + ":"
                + offer.dataPort()
                + " failed ("
                + Describe.cause(e)
                + "); streams use the WebSocket, next try in 60s");
      }
      return null;
    }
  }
}
