package io.sluice.engine.wire;

/**
 * A SOCKS5 reply code: the REP field of a reply, RFC 1928 section 6. A value type in the manner of
 * Netty's {@code Socks5CommandStatus}: the nine codes RFC 1928 assigns are constants, and {@link
 * #valueOf(byte)} keeps any other code (an upstream proxy may send one) instead of throwing.
 * Equality is by code. Immutable and thread-safe.
 */
public final class Socks5Reply implements Comparable<Socks5Reply> {

  /** X'00' succeeded. */
  public static final Socks5Reply SUCCEEDED = new Socks5Reply(0x00, "SUCCEEDED");

  /** X'01' general SOCKS server failure. */
  public static final Socks5Reply FAILURE = new Socks5Reply(0x01, "FAILURE");

  /** X'02' connection not allowed by ruleset. */
  public static final Socks5Reply NOT_ALLOWED = new Socks5Reply(0x02, "NOT_ALLOWED");

  /** X'03' network unreachable. */
  public static final Socks5Reply NETWORK_UNREACHABLE =
      new Socks5Reply(0x03, "NETWORK_UNREACHABLE");

  /** X'04' host unreachable. */
  public static final Socks5Reply HOST_UNREACHABLE = new Socks5Reply(0x04, "HOST_UNREACHABLE");

  /** X'05' connection refused. */
  public static final Socks5Reply CONNECTION_REFUSED = new Socks5Reply(0x05, "CONNECTION_REFUSED");

  /** X'06' TTL expired. */
  public static final Socks5Reply TTL_EXPIRED = new Socks5Reply(0x06, "TTL_EXPIRED");

  /** X'07' command not supported. */
  public static final Socks5Reply COMMAND_UNSUPPORTED =
      new Socks5Reply(0x07, "COMMAND_UNSUPPORTED");

  /** X'08' address type not supported. */
  public static final Socks5Reply ADDRESS_UNSUPPORTED =
      new Socks5Reply(0x08, "ADDRESS_UNSUPPORTED");

  private static final Socks5Reply[] ASSIGNED = {
    SUCCEEDED,
    FAILURE,
    NOT_ALLOWED,
    NETWORK_UNREACHABLE,
    HOST_UNREACHABLE,
    CONNECTION_REFUSED,
    TTL_EXPIRED,
    COMMAND_UNSUPPORTED,
    ADDRESS_UNSUPPORTED,
  };

  private final int code;
  private final String name;

  private Socks5Reply(int code, String name) {
    this.code = code;
    this.name = name;
  }

  /**
   * The reply for a REP octet: one of the constants for X'00' to X'08', otherwise a new instance
   * named {@code UNASSIGNED} that keeps the code (X'09' to X'FF' are unassigned by RFC 1928).
   */
  public static Socks5Reply valueOf(byte rep) {
    int code = rep & 0xFF;
    return code < ASSIGNED.length ? ASSIGNED[code] : new Socks5Reply(code, "UNASSIGNED");
  }

  /** The REP octet as sent on the wire. */
  public byte byteValue() {
    return (byte) code;
  }

  /** The REP octet as an unsigned value, 0 to 255. */
  public int code() {
    return code;
  }

  /** True only for X'00'. */
  public boolean isSuccess() {
    return code == 0;
  }

  /** True for the codes RFC 1928 assigns (X'00' to X'08'). */
  public boolean isAssigned() {
    return code < ASSIGNED.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Socks5Reply r && r.code == code;
  }

  @Override
  public int hashCode() {
    return code;
  }

  @Override
  public int compareTo(Socks5Reply other) {
    return Integer.compare(code, other.code);
  }

  /** For example {@code NOT_ALLOWED(0x02)} or {@code UNASSIGNED(0x2a)}. */
  @Override
  public String toString() {
    return name + "(0x" + (code < 0x10 ? "0" : "") + Integer.toHexString(code) + ")";
  }
}
