package io.sluice.engine.spi;

import java.util.Objects;

/**
 * What a listener is for, as a typed value: the host tags each listener ({@link
 * io.sluice.engine.config.ListenerConfig#tag()}) and finds the tag again on every connection it
 * accepted ({@link ConnectionInfo#listenerTag()}), instead of encoding ids in listener names and
 * parsing them back. {@link #name()} is the listener's unique name (its key in the engine's
 * listener map, in logs and in metrics); {@link #parse} is its exact inverse, so names and tags
 * convert both ways without loss.
 *
 * <table>
 *   <caption>Tags and their names</caption>
 *   <tr><th>tag</th><th>name</th></tr>
 *   <tr><td>{@link Socks}, {@link Http}, {@link Mixed}</td><td>{@code socks}, {@code http}, {@code mixed}</td></tr>
 *   <tr><td>{@link Dedicated Dedicated(userId)}</td><td>{@code dedicated-<userId>}</td></tr>
 *   <tr><td>{@link Tunnel Tunnel(mappingId)}</td><td>{@code tunnel-<mappingId>}</td></tr>
 *   <tr><td>{@link TunnelDirect}</td><td>{@code direct-data}</td></tr>
 *   <tr><td>{@link Transparent}</td><td>{@code transparent}</td></tr>
 *   <tr><td>{@link Named Named(name)}</td><td>any other name</td></tr>
 * </table>
 */
public sealed interface ListenerTag {

  /** The shared SOCKS5 listener. */
  ListenerTag SOCKS = new Socks();

  /** The shared HTTP proxy listener. */
  ListenerTag HTTP = new Http();

  /** The shared listener that sniffs SOCKS5, SOCKS4 and HTTP. */
  ListenerTag MIXED = new Mixed();

  /** The data port of direct tunnel streams. */
  ListenerTag TUNNEL_DIRECT = new TunnelDirect();

  /** The transparent listener that receives the VMs' redirected connections. */
  ListenerTag TRANSPARENT = new Transparent();

  /** The listener's unique name. */
  String name();

  /** The shared SOCKS5 listener: {@code socks}. */
  record Socks() implements ListenerTag {
    @Override
    public String name() {
      return "socks";
    }
  }

  /** The shared HTTP proxy listener: {@code http}. */
  record Http() implements ListenerTag {
    @Override
    public String name() {
      return "http";
    }
  }

  /** The shared mixed (sniffing) listener: {@code mixed}. */
  record Mixed() implements ListenerTag {
    @Override
    public String name() {
      return "mixed";
    }
  }

  /** A proxy port dedicated to one proxy user: {@code dedicated-<userId>}. */
  record Dedicated(long userId) implements ListenerTag {
    static final String PREFIX = "dedicated-";

    @Override
    public String name() {
      return PREFIX + userId;
    }
  }

  /** The public port of one reverse-tunnel mapping: {@code tunnel-<mappingId>}. */
  record Tunnel(long mappingId) implements ListenerTag {
    static final String PREFIX = "tunnel-";

    @Override
    public String name() {
      return PREFIX + mappingId;
    }
  }

  /** The data port of direct tunnel streams: {@code direct-data}. */
  record TunnelDirect() implements ListenerTag {
    @Override
    public String name() {
      return "direct-data";
    }
  }

  /** The transparent listener: {@code transparent}. */
  record Transparent() implements ListenerTag {
    @Override
    public String name() {
      return "transparent";
    }
  }

  /**
   * A listener known only by its name (tests, ad-hoc listeners). Names that another tag produces
   * are refused: use {@link #parse} to get that tag.
   */
  record Named(String name) implements ListenerTag {
    public Named {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("listener name must not be blank");
      }
      if (typed(name) != null) {
        throw new IllegalArgumentException(
            "'" + name + "' is the name of a typed tag; use ListenerTag.parse");
      }
    }
  }

  /**
   * The tag whose {@link #name()} is {@code name}: a typed tag for the names in the table above
   * (ids in their canonical decimal form only, so that {@code parse(n).name().equals(n)} always
   * holds), otherwise {@link Named}.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException if {@code name} is blank
   */
  static ListenerTag parse(String name) {
    ListenerTag t = typed(Objects.requireNonNull(name, "name"));
    return t != null ? t : new Named(name);
  }

  private static ListenerTag typed(String name) {
    switch (name) {
      case "socks" -> {
        return SOCKS;
      }
      case "http" -> {
        return HTTP;
      }
      case "mixed" -> {
        return MIXED;
      }
      case "direct-data" -> {
        return TUNNEL_DIRECT;
      }
      case "transparent" -> {
        return TRANSPARENT;
      }
      default -> {
        // fall through to the prefixed forms
      }
    }
    if (name.startsWith(Dedicated.PREFIX)) {
      Long id = canonicalLong(name.substring(Dedicated.PREFIX.length()));
      return id == null ? null : new Dedicated(id);
    }
    if (name.startsWith(Tunnel.PREFIX)) {
      Long id = canonicalLong(name.substring(Tunnel.PREFIX.length()));
      return id == null ? null : new Tunnel(id);
    }
    return null;
  }

  /** {@code s} as a long if {@link Long#toString} would give back exactly {@code s}, else null. */
  private static Long canonicalLong(String s) {
    try {
      long v = Long.parseLong(s);
      return Long.toString(v).equals(s) ? v : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
