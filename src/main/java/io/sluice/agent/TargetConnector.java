package io.sluice.agent;

import io.sluice.engine.tunnel.Frame;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * Opens the TCP connection for an OPEN: asks the {@link AllowList}, then connects to exactly the
 * addresses it returned (no second lookup), in order, each with the connect timeout. Failures map
 * to OPEN_FAIL reasons: UNREACHABLE (DNS, no route), REFUSED, TIMEOUT, GENERAL.
 */
public final class TargetConnector {

  /** Result of {@link #connect}. */
  public sealed interface Result {}

  /** Connected; the caller owns the socket. */
  public record Connected(Socket socket) implements Result {}

  /** OPEN_FAIL {@code reason} (a {@link Frame.OpenFail} code) with a short message. */
  public record Failed(int reason, String message) implements Result {}

  private final AllowList allowList;
  private final AllowList.Resolver resolver;
  private final Duration connectTimeout;

  public TargetConnector(
      AllowList allowList, AllowList.Resolver resolver, Duration connectTimeout) {
    this.allowList = allowList;
    this.resolver = resolver;
    this.connectTimeout = connectTimeout;
  }

  public Result connect(String host, int port) {
    AllowList.Decision d;
    try {
      d = allowList.check(host, port, resolver);
    } catch (UnknownHostException e) {
      return new Failed(Frame.OpenFail.UNREACHABLE, "unknown host");
    } catch (RuntimeException e) {
      return new Failed(Frame.OpenFail.GENERAL, "resolution failed");
    }
    if (d instanceof AllowList.Refused r) {
      return new Failed(Frame.OpenFail.NOT_ALLOWED, r.message());
    }
    Failed last = new Failed(Frame.OpenFail.GENERAL, "no address");
    for (InetAddress a : ((AllowList.Allowed) d).addresses()) {
      Socket s = new Socket();
      try {
        s.setTcpNoDelay(true);
        s.connect(
            new InetSocketAddress(a, port),
            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()));
        return new Connected(s);
      } catch (IOException e) {
        closeQuietly(s);
        last = classify(e);
      }
    }
    return last;
  }

  /** Maps a connect exception to an OPEN_FAIL reason and a short message. */
  static Failed classify(IOException e) {
    String msg = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    if (e instanceof SocketTimeoutException) {
      return new Failed(Frame.OpenFail.TIMEOUT, "connect timed out");
    }
    if (e instanceof UnknownHostException) {
      return new Failed(Frame.OpenFail.UNREACHABLE, "unknown host");
    }
    if (e instanceof NoRouteToHostException
        || msg.contains("unreachable")
        || msg.contains("no route")) {
      return new Failed(Frame.OpenFail.UNREACHABLE, "no route to host");
    }
    if (e instanceof ConnectException && (msg.contains("refused") || msg.isEmpty())) {
      return new Failed(Frame.OpenFail.REFUSED, "connection refused");
    }
    if (msg.contains("timed out")) {
      return new Failed(Frame.OpenFail.TIMEOUT, "connect timed out");
    }
    return new Failed(Frame.OpenFail.GENERAL, "connect failed");
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // nothing to do: the socket never connected
    }
  }
}
