package io.sluice.engine.net;

import io.netty.util.NetUtil;
import io.sluice.engine.spi.DestinationPolicy;
import io.sluice.engine.spi.PolicyDecision;
import io.sluice.engine.spi.ProxyPrincipal;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Resolve once, check every address, deny if any is denied. IP literals are parsed, never looked
 * up; ambiguous IPv4 literals ({@link HostNames#isAmbiguousIpv4Literal}) are refused before any
 * parsing or look-up. The returned addresses are the only ones the engine may connect or send to.
 */
public final class DestinationGate {

  private final HostResolver resolver;
  private final DestinationPolicy policy;

  public DestinationGate(HostResolver resolver, DestinationPolicy policy) {
    this.resolver = resolver;
    this.policy = policy;
  }

  /** Why an ambiguous IPv4 literal is refused (log and reply text). */
  public static final String AMBIGUOUS_IPV4 = "ambiguous-ipv4-literal";

  /**
   * Parses an IP literal (with or without brackets), or returns {@code null} for a name and for an
   * ambiguous IPv4 literal (which is never read as an address).
   */
  public static InetAddress parseLiteral(String host) {
    if (HostNames.isAmbiguousIpv4Literal(host)) {
      return null;
    }
    String h = host;
    if (h.length() > 2 && h.charAt(0) == '[' && h.charAt(h.length() - 1) == ']') {
      h = h.substring(1, h.length() - 1);
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(h);
    if (bytes == null) {
      return null;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (java.net.UnknownHostException e) {
      return null; // impossible for 4 or 16 bytes
    }
  }

  /** Checks one already-known address (BIND peers, UDP replies, IP literals). */
  public PolicyDecision check(ProxyPrincipal principal, InetAddress address, int port) {
    PolicyDecision d = policy.check(principal, address, port);
    return d == null ? PolicyDecision.deny("policy-returned-null") : d;
  }

  /** Resolves {@code host} unless it is a literal, then checks every address. */
  public CompletionStage<GateResult> admit(ProxyPrincipal principal, String host, int port) {
    if (HostNames.isAmbiguousIpv4Literal(host)) {
      return CompletableFuture.completedFuture(new GateResult.Refused(AMBIGUOUS_IPV4));
    }
    InetAddress literal = parseLiteral(host);
    if (literal != null) {
      return CompletableFuture.completedFuture(checkAll(principal, List.of(literal), port));
    }
    if (!HostNames.isValid(host)) {
      return CompletableFuture.completedFuture(new GateResult.Unresolvable("invalid-name"));
    }
    return resolver
        .resolve(host)
        .handle((addresses, error) -> {
          if (error != null) {
            Throwable cause =
                error instanceof CompletionException && error.getCause() != null
                    ? error.getCause()
                    : error;
            return new GateResult.Unresolvable(cause.getClass().getSimpleName());
          }
          if (addresses == null || addresses.isEmpty()) {
            return new GateResult.Unresolvable("no-addresses");
          }
          return checkAll(principal, addresses, port);
        });
  }

  /**
   * Resolves without checking (the caller checks every use with {@link #checkAll}): the literal
   * itself, or the name's addresses. Fails (UnknownHostException) for an ambiguous IPv4 literal,
   * and like {@link HostResolver#resolve}.
   */
  public CompletionStage<List<InetAddress>> resolve(String host) {
    if (HostNames.isAmbiguousIpv4Literal(host)) {
      return CompletableFuture.failedFuture(new java.net.UnknownHostException(AMBIGUOUS_IPV4));
    }
    InetAddress literal = parseLiteral(host);
    if (literal != null) {
      return CompletableFuture.completedFuture(List.of(literal));
    }
    if (!HostNames.isValid(host)) {
      return CompletableFuture.failedFuture(new java.net.UnknownHostException("invalid name"));
    }
    return resolver.resolve(host);
  }

  /** Asks the policy about every address; denied if any is denied. */
  public GateResult checkAll(ProxyPrincipal principal, List<InetAddress> addresses, int port) {
    for (InetAddress a : addresses) {
      PolicyDecision d = check(principal, a, port);
      if (!d.allowed()) {
        return new GateResult.Denied(a, d.reason());
      }
    }
    return new GateResult.Allowed(List.copyOf(addresses));
  }
}
