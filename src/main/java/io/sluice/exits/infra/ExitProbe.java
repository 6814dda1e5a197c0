package io.sluice.exits.infra;

import io.sluice.engine.exit.FailureKind;
import io.sluice.engine.probe.ProbeClient;
import io.sluice.engine.probe.ProbeOutcome;
import io.sluice.engine.probe.ProbeStage;
import io.sluice.engine.spi.ExitRoute;
import io.sluice.exits.domain.ExitProber;
import io.sluice.exits.domain.ProbeResult;
import io.sluice.exits.domain.ProbeTarget;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Checks an exit by fetching an IP-echo URL <em>through</em> it and checking that the body is a
 * real IP echo. The fetch is the engine's {@link ProbeClient}: the connection is opened by the same
 * connectors that carry user traffic (direct, upstream SOCKS5, upstream HTTP CONNECT), on the
 * engine's event loops, with one deadline covering resolution, connect, proxy handshake and the
 * whole response. {@code https} echo URLs get a TLS handshake through the tunnel, verified against
 * the client's trust (see {@link ExitProbes}); its failures read {@code tls: ...}.
 *
 * <p>Thread-safe. Never throws for network problems: every outcome is a {@link ProbeResult}; the
 * connection is closed when the result is known.
 */
public final class ExitProbe implements ExitProber {

  static final String NOT_AN_ECHO = "body is not an IP echo";

  /** Route id of probes; engine messages name the exit by it ("exit probe: ..."). */
  static final String ROUTE_ID = "probe";

  private static final Map<String, String> ACCEPT =
      Map.of("Accept", "application/json, text/plain");

  private final Duration timeout;
  private final ProbeClient client;

  /**
   * @param timeout the overall deadline of each probe; positive
   */
  public ExitProbe(Duration timeout, ProbeClient client) {
    this.timeout = checked(timeout);
    this.client = Objects.requireNonNull(client, "client");
  }

  private static Duration checked(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("probe timeout must be positive: " + timeout);
    }
    return timeout;
  }

  /**
   * Probes {@code exit} by fetching {@code echoUrl} ({@code http[s]://host[:port]/path}); blocks
   * until done.
   */
  public ProbeResult probe(ProbeTarget exit, URI echoUrl) {
    return probeAsync(exit, echoUrl).join();
  }

  /**
   * Probes without blocking; the future completes on an engine event loop (dependent stages that
   * block must use the {@code *Async} variants) and never exceptionally.
   */
  public CompletableFuture<ProbeResult> probeAsync(ProbeTarget exit, URI echoUrl) {
    Objects.requireNonNull(exit, "exit");
    Objects.requireNonNull(echoUrl, "echoUrl");
    ExitRoute route;
    try {
      route = route(exit);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          new ProbeResult(
              false, false, null, 0, 0, scrub("invalid exit: " + e.getMessage(), exit)));
    }
    long start = System.nanoTime();
    return client
        .get(route, echoUrl, timeout, ACCEPT)
        .thenApply(outcome -> result(outcome, exit, echoUrl))
        .exceptionally(e ->
            new ProbeResult(
                false,
                false,
                null,
                (System.nanoTime() - start) / 1_000_000,
                0,
                scrub("probe failed: " + e.getMessage(), exit)));
  }

  /** The engine route of a target; the same shape the proxy builds for sessions. */
  static ExitRoute route(ProbeTarget t) {
    String user = t.hasCredentials() ? t.username() : null;
    String password = user == null ? null : t.passwordOrEmpty();
    return switch (t.kind()) {
      case "socks5", "tor" ->
          new ExitRoute.Socks5Upstream(ROUTE_ID, t.host(), t.port(), user, password);
      case "http" -> new ExitRoute.HttpUpstream(ROUTE_ID, t.host(), t.port(), user, password);
      default -> new ExitRoute.Direct(ROUTE_ID, t.localAddress());
    };
  }

  private ProbeResult result(ProbeOutcome outcome, ProbeTarget exit, URI url) {
    return switch (outcome) {
      case ProbeOutcome.Response r -> {
        String ip = EchoBody.ip(r.body());
        if (r.status() != 200) {
          yield new ProbeResult(
              true,
              false,
              ip,
              r.latencyMillis(),
              r.status(),
              scrub(
                  "echo returned HTTP "
                      + r.status()
                      + (r.reason().isEmpty() ? "" : " " + r.reason()),
                  exit));
        }
        yield ip == null
            ? new ProbeResult(true, false, null, r.latencyMillis(), 200, NOT_AN_ECHO)
            : new ProbeResult(true, true, ip, r.latencyMillis(), 200, null);
      }
      case ProbeOutcome.Failure f ->
          new ProbeResult(
              f.exitReached(), false, null, f.latencyMillis(), 0, scrub(error(f, exit, url), exit));
    };
  }

  private String error(ProbeOutcome.Failure f, ProbeTarget exit, URI url) {
    if (f.timedOut()) {
      return f.stage() == ProbeStage.TLS
          ? "tls: handshake timed out after " + timeout.toMillis() + "ms"
          : "timeout after " + timeout.toMillis() + "ms";
    }
    String message = withoutExitId(f.message());
    return switch (f.stage()) {
      case URL -> "echo " + message;
      case RESOLVE, CONNECT -> "exit unreachable: " + message;
      case HANDSHAKE ->
          f.kind() == FailureKind.EXIT_AUTH && socks(exit)
              ? (exit.hasCredentials()
                  ? "socks5: authentication failed (wrong username or password)"
                  : "socks5: proxy requires authentication but no credentials are configured")
              : prefix(exit) + message;
      case TUNNEL -> tunnel(f, exit, destination(url), message);
      default -> message;
    };
  }

  private static String tunnel(
      ProbeOutcome.Failure f, ProbeTarget exit, String destination, String message) {
    int reply = f.upstreamReply();
    if (socks(exit)) {
      return "socks5: CONNECT to "
          + destination
          + " failed: "
          + (reply > 0 ? socksReply(reply) + " (REP " + reply + ")" : message);
    }
    if (reply < 0) {
      return "http proxy CONNECT to " + destination + " failed: " + message;
    }
    String hint =
        reply != 407
            ? ""
            : exit.hasCredentials() ? " (credentials rejected)" : " (proxy requires credentials)";
    return "http proxy CONNECT to " + destination + " failed: HTTP " + reply + hint;
  }

  /** Upstream SOCKS5: kind socks5, or a node of the Tor fleet (kind tor). */
  private static boolean socks(ProbeTarget exit) {
    return exit.kind().equals("socks5") || exit.kind().equals("tor");
  }

  private static String prefix(ProbeTarget exit) {
    return socks(exit) ? "socks5: " : "http proxy: ";
  }

  private static String withoutExitId(String message) {
    String p = "exit " + ROUTE_ID + ": ";
    return message.startsWith(p) ? message.substring(p.length()) : message;
  }

  /** {@code host:port} of the echo URL, an IPv6 literal in brackets. */
  private static String destination(URI url) {
    String host = url.getHost() == null ? "?" : url.getHost();
    if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
      host = "[" + host + "]";
    }
    int port = url.getPort();
    if (port == -1) {
      port = "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
    return host + ":" + port;
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

  /** Removes the password and the Basic credentials from a message, whatever produced it. */
  static String scrub(String message, ProbeTarget exit) {
    if (message == null) {
      return null;
    }
    String out = message;
    if (exit.hasCredentials()) {
      String pair = exit.username() + ":" + exit.passwordOrEmpty();
      out =
          out.replace(
              Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)), "***");
    }
    String password = exit.password();
    if (password != null && !password.isEmpty()) {
      out = out.replace(password, "***");
    }
    return out;
  }
}
