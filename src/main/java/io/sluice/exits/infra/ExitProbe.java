package io.sluice.exits.infra;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.sluice.exits.domain.ExitProber;
import io.sluice.exits.domain.ProbeResult;
import io.sluice.exits.domain.ProbeTarget;
import io.sluice.exits.infra.Wire.Head;
import io.sluice.exits.infra.Wire.ProbeFailure;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Checks an exit by fetching an IP-echo URL <em>through</em> it: connect (directly, or to the
 * SOCKS5 / HTTP proxy and tunnel to the echo host), send one {@code GET}, read the response and
 * check that the body is a real IP echo.
 *
 * <p>Blocking and thread-safe (no shared mutable state): call {@link #probe} from any thread.
 * Each probe has one overall deadline covering name resolution, connect, proxy handshake and the
 * whole response. It never throws for network problems; every outcome is a {@link ProbeResult},
 * and every socket is closed before {@link #probe} returns.
 */
public final class ExitProbe implements ExitProber {

  static final int MAX_HEADER_BYTES = 16 * 1024;
  static final int MAX_BODY_BYTES = 64 * 1024;
  static final String HTTPS_UNSUPPORTED = "https echo URLs are not supported yet";
  static final String NOT_AN_ECHO = "body is not an IP echo";

  private final long timeoutNanos;
  private final long timeoutMillis;

  /** @param timeout the overall deadline of each probe; positive */
  public ExitProbe(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("probe timeout must be positive: " + timeout);
    }
    this.timeoutNanos = timeout.toNanos();
    this.timeoutMillis = timeout.toMillis();
  }

  /** The echo URL's parts, or why it cannot be used. */
  private record Echo(String host, int port, String requestTarget, String hostHeader) {}

  /**
   * Probes {@code exit} by fetching {@code echoUrl} ({@code http://host[:port]/path}) through it.
   */
  public ProbeResult probe(ProbeTarget exit, URI echoUrl) {
    Objects.requireNonNull(exit, "exit");
    Objects.requireNonNull(echoUrl, "echoUrl");
    Echo echo;
    try {
      echo = echo(echoUrl);
    } catch (ProbeFailure f) {
      return new ProbeResult(false, false, null, 0, 0, f.getMessage());
    }
    long start = System.nanoTime();
    long deadline = start + timeoutNanos;
    boolean reachable = false;
    String phase = "connect";
    Socket socket = null;
    try {
      if (exit.kind().equals("direct")) {
        socket = connect(echo.host(), echo.port(), exit.localAddress(), deadline, "echo host");
      } else {
        socket = connect(exit.host(), exit.port(), exit.localAddress(), deadline, exit.kind() + " exit");
      }
      reachable = true;
      Wire wire = new Wire(socket, deadline);
      switch (exit.kind()) {
        case "socks5" -> {
          phase = "socks5 handshake";
          socks5(wire, exit, echo);
        }
        case "http" -> {
          phase = "http CONNECT";
          httpConnect(wire, exit, echo);
        }
        default -> { }
      }
      phase = "echo request";
      wire.write(("GET " + echo.requestTarget() + " HTTP/1.1\r\n"
          + "Host: " + echo.hostHeader() + "\r\n"
          + "Connection: close\r\n"
          + "Accept: application/json, text/plain\r\n"
          + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      phase = "echo response";
      Head head = wire.readHead(MAX_HEADER_BYTES);
      for (int interim = 0; head.status() >= 100 && head.status() < 200 && head.status() != 101; interim++) {
        if (interim >= 5) {
          throw new ProbeFailure("too many interim (1xx) responses");
        }
        head = wire.readHead(MAX_HEADER_BYTES);
      }
      byte[] body = wire.readBody(head, MAX_BODY_BYTES, MAX_HEADER_BYTES);
      long latency = millisSince(start);
      String ip = EchoBody.ip(body);
      if (head.status() != 200) {
        return new ProbeResult(true, false, ip, latency, head.status(),
            scrub("echo returned HTTP " + head.status() + reason(head), exit));
      }
      if (ip == null) {
        return new ProbeResult(true, false, null, latency, 200, NOT_AN_ECHO);
      }
      return new ProbeResult(true, true, ip, latency, 200, null);
    } catch (ProbeFailure f) {
      return failure(reachable, start, scrub(f.getMessage(), exit));
    } catch (SocketTimeoutException | TimeoutException e) {
      return failure(reachable, start, "timeout after " + timeoutMillis + "ms");
    } catch (EOFException e) {
      return failure(reachable, start, phase + ": connection closed by peer");
    } catch (IOException e) {
      if (System.nanoTime() - deadline >= 0) {
        return failure(reachable, start, "timeout after " + timeoutMillis + "ms");
      }
      return failure(reachable, start, scrub(phase + " failed: " + describe(e), exit));
    } catch (RuntimeException e) {
      return failure(reachable, start, scrub("probe failed: " + describe(e), exit));
    } finally {
      closeQuietly(socket);
    }
  }

  // ---------------------------------------------------------------- echo URL

  private static Echo echo(URI url) throws ProbeFailure {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      throw new ProbeFailure(HTTPS_UNSUPPORTED);
    }
    if (!scheme.equals("http")) {
      throw new ProbeFailure("echo URL must be http://host[:port]/path");
    }
    String host = url.getHost();
    if (host == null || host.isEmpty()) {
      throw new ProbeFailure("echo URL has no host");
    }
    if (url.getRawUserInfo() != null) {
      throw new ProbeFailure("echo URL must not carry user info");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = url.getPort() == -1 ? 80 : url.getPort();
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
    String authority = hostPort(host, port);
    String hostHeader = port == 80 ? (host.contains(":") ? "[" + host + "]" : host) : authority;
    if (!printableAscii(target) || !printableAscii(hostHeader)) {
      throw new ProbeFailure("echo URL contains characters not allowed in a request");
    }
    return new Echo(host, port, target, hostHeader);
  }

  private static boolean printableAscii(String s) {
    return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  // ---------------------------------------------------------------- connect

  /** Resolves and connects within the deadline; tries each address of the host in turn. */
  private static Socket connect(String host, int port, InetAddress local, long deadline, String what)
      throws IOException, ProbeFailure, TimeoutException {
    InetAddress[] addresses = resolve(host, deadline, what);
    IOException last = null;
    for (InetAddress address : addresses) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new TimeoutException();
      }
      Socket s = new Socket();
      boolean ok = false;
      try {
        s.setTcpNoDelay(true);
        if (local != null) {
          s.bind(new InetSocketAddress(local, 0));
        }
        s.connect(new InetSocketAddress(address, port), (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        ok = true;
        return s;
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        last = e;
      } finally {
        if (!ok) {
          closeQuietly(s);
        }
      }
    }
    String where = what + " " + hostPort(host, port);
    if (last instanceof ConnectException) {
      throw new ProbeFailure("exit unreachable: connection refused by " + where);
    }
    if (last instanceof NoRouteToHostException) {
      throw new ProbeFailure("exit unreachable: no route to " + where);
    }
    if (last instanceof BindException && local != null) {
      throw new ProbeFailure("exit unreachable: cannot bind local address " + local.getHostAddress()
          + " (" + describe(last) + ")");
    }
    throw new ProbeFailure("exit unreachable: cannot connect to " + where
        + (last == null ? "" : " (" + describe(last) + ")"));
  }

  /** IP literals without DNS; names resolved on a helper thread bounded by the deadline. */
  private static InetAddress[] resolve(String host, long deadline, String what)
      throws ProbeFailure, TimeoutException {
    InetAddress literal = literal(host);
    if (literal != null) {
      return new InetAddress[] {literal};
    }
    CompletableFuture<InetAddress[]> lookup = new CompletableFuture<>();
    Thread.ofPlatform().daemon().name("exit-probe-dns").start(() -> {
      try {
        lookup.complete(InetAddress.getAllByName(host));
      } catch (Throwable t) {
        lookup.completeExceptionally(t);
      }
    });
    try {
      long left = Math.max(1, deadline - System.nanoTime());
      return lookup.get(left, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownHostException) {
        throw new ProbeFailure("exit unreachable: unknown " + what + " host " + host);
      }
      throw new ProbeFailure("exit unreachable: cannot resolve " + what + " host " + host);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProbeFailure("probe interrupted");
    }
  }

  /** {@code host} as an IP literal, or {@code null} when it is a name. */
  private static InetAddress literal(String host) {
    IPAddress a = new IPAddressString(host, EchoBody.STRICT).getAddress();
    if (a == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(a.getBytes());
    } catch (UnknownHostException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- SOCKS5 (RFC 1928 / 1929)

  private static void socks5(Wire wire, ProbeTarget exit, Echo echo) throws IOException, ProbeFailure {
    boolean auth = exit.hasCredentials();
    wire.write(auth ? new byte[] {5, 1, 2} : new byte[] {5, 1, 0});
    int ver = wire.readByte();
    int method = wire.readByte();
    if (ver != 5) {
      throw new ProbeFailure("socks5: exit is not a SOCKS5 server (version byte " + ver + ")");
    }
    if (method == 0xFF) {
      throw new ProbeFailure(auth
          ? "socks5: proxy accepts none of the offered authentication methods (username/password)"
          : "socks5: proxy requires authentication but no credentials are configured");
    }
    if (method != (auth ? 2 : 0)) {
      throw new ProbeFailure("socks5: proxy chose an authentication method that was not offered (" + method + ")");
    }
    if (auth) {
      byte[] user = exit.username().getBytes(StandardCharsets.UTF_8);
      byte[] pass = exit.passwordOrEmpty().getBytes(StandardCharsets.UTF_8);
      if (user.length > 255 || pass.length > 255) {
        throw new ProbeFailure("socks5: username or password longer than 255 bytes");
      }
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      req.write(1);
      req.write(user.length);
      req.write(user);
      req.write(pass.length);
      req.write(pass);
      wire.write(req.toByteArray());
      int status;
      try {
        wire.readByte();
        status = wire.readByte();
      } catch (EOFException e) {
        status = -1;
      }
      if (status != 0) {
        throw new ProbeFailure("socks5: authentication failed (wrong username or password)");
      }
    }
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.write(new byte[] {5, 1, 0});
    InetAddress literal = literal(echo.host());
    if (literal != null) {
      byte[] addr = literal.getAddress();
      req.write(addr.length == 4 ? 1 : 4);
      req.write(addr);
    } else {
      byte[] name = echo.host().getBytes(StandardCharsets.US_ASCII);
      if (name.length > 255) {
        throw new ProbeFailure("socks5: echo host name longer than 255 bytes");
      }
      req.write(3);
      req.write(name.length);
      req.write(name);
    }
    req.write(echo.port() >> 8);
    req.write(echo.port() & 0xFF);
    wire.write(req.toByteArray());
    int rver = wire.readByte();
    int rep = wire.readByte();
    wire.readByte();
    int atyp = wire.readByte();
    if (rver != 5) {
      throw new ProbeFailure("socks5: malformed CONNECT reply (version byte " + rver + ")");
    }
    if (rep != 0) {
      throw new ProbeFailure("socks5: CONNECT to " + hostPort(echo.host(), echo.port()) + " failed: "
          + socksReply(rep) + " (REP " + rep + ")");
    }
    switch (atyp) {
      case 1 -> wire.readFully(4 + 2);
      case 4 -> wire.readFully(16 + 2);
      case 3 -> wire.readFully(wire.readByte() + 2);
      default -> throw new ProbeFailure("socks5: malformed CONNECT reply (address type " + atyp + ")");
    }
  }

  static String socksReply(int rep) {
    return switch (rep) {
      case 1 -> "general SOCKS server failure";
      case 2 -> "connection not allowed by ruleset";
      case 3 -> "network unreachable";
      case 4 -> "host unreachable";
      case 5 -> "connection refused";
      case 6 -> "TTL expired";
      case 7 -> "command not supported";
      case 8 -> "address type not supported";
      default -> "unknown error";
    };
  }

  // ---------------------------------------------------------------- HTTP CONNECT

  private static void httpConnect(Wire wire, ProbeTarget exit, Echo echo) throws IOException, ProbeFailure {
    String authority = hostPort(echo.host(), echo.port());
    StringBuilder req = new StringBuilder()
        .append("CONNECT ").append(authority).append(" HTTP/1.1\r\n")
        .append("Host: ").append(authority).append("\r\n");
    if (exit.hasCredentials()) {
      req.append("Proxy-Authorization: Basic ").append(basic(exit)).append("\r\n");
    }
    req.append("\r\n");
    wire.write(req.toString().getBytes(StandardCharsets.UTF_8));
    Head head = wire.readHead(MAX_HEADER_BYTES);
    if (head.status() / 100 != 2) {
      String hint = head.status() == 407
          ? (exit.hasCredentials() ? " (credentials rejected)" : " (proxy requires credentials)")
          : "";
      throw new ProbeFailure("http proxy CONNECT to " + authority + " failed: HTTP " + head.status()
          + reason(head) + hint);
    }
  }

  private static String basic(ProbeTarget exit) {
    String pair = exit.username() + ":" + exit.passwordOrEmpty();
    return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- helpers

  private static String reason(Head head) {
    return head.reason().isEmpty() ? "" : " " + head.reason();
  }

  private static ProbeResult failure(boolean reachable, long start, String error) {
    return new ProbeResult(reachable, false, null, millisSince(start), 0, error);
  }

  private static long millisSince(long start) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static String describe(Throwable e) {
    String m = e.getMessage();
    String name = e.getClass().getSimpleName();
    return m == null || m.isBlank() ? name : Wire.printable(m, 200);
  }

  /** Removes the password and the Basic credentials from a message, whatever produced it. */
  static String scrub(String message, ProbeTarget exit) {
    if (message == null) {
      return null;
    }
    String out = message;
    if (exit.hasCredentials()) {
      out = out.replace(basic(exit), "***");
    }
    String password = exit.password();
    if (password != null && !password.isEmpty()) {
      out = out.replace(password, "***");
    }
    return out;
  }

  private static void closeQuietly(Socket s) {
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing left to do
      }
    }
  }
}
