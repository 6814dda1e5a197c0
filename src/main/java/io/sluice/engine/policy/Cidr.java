package io.sluice.engine.policy;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.IncompatibleAddressException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * One CIDR block, IPv4 or IPv6, parsed strictly with the {@code ipaddress} library and held as
 * precomputed masks so that {@link #contains(InetAddress)} is a few integer comparisons.
 *
 * <p>Text form: {@code 10.0.0.0/8}, {@code 192.0.2.7} (a bare address is {@code /32}), {@code
 * [2001:db8::]/32}, {@code [::1]} ({@code /128}). IPv6 may also be written without brackets where
 * no port follows ({@code 2001:db8::/32}); {@link #toString()} always uses brackets. Rejected: host
 * bits set below the prefix ({@code 10.0.0.1/8}), IPv6 zones, masks instead of prefix lengths,
 * wildcards and ranges, {@code inet_aton} forms ({@code 10.1}, {@code 0x0a000001}) and IPv4 leading
 * zeros ({@code 010.0.0.1}, octal in some parsers).
 *
 * <p>Immutable and thread-safe. Family is strict: an IPv4 block never contains an IPv6 address (not
 * even an IPv4-mapped one) and vice versa; callers that want mapped matching (see {@link
 * SourceWhitelist}) convert first.
 */
public final class Cidr {

  static final IPAddressStringParameters STRICT = strictParameters();

  private final IPAddress block;
  private final boolean ipv4;
  private final int prefix;
  // IPv4: net & mask in the low 32 bits of v4Net / v4Mask.
  private final int v4Net;
  private final int v4Mask;
  // IPv6: 128 bits as hi/lo longs.
  private final long hiNet;
  private final long loNet;
  private final long hiMask;
  private final long loMask;

  private Cidr(IPAddress block) {
    this.block = block;
    this.ipv4 = block.isIPv4();
    Integer p = block.getNetworkPrefixLength();
    this.prefix = p == null ? block.getBitCount() : p;
    byte[] bytes = block.getLower().getBytes();
    if (ipv4) {
      this.v4Mask = prefix == 0 ? 0 : (int) (0xFFFF_FFFFL << (32 - prefix));
      this.v4Net = toInt(bytes) & v4Mask;
      this.hiNet = this.loNet = this.hiMask = this.loMask = 0;
    } else {
      this.v4Net = this.v4Mask = 0;
      this.hiMask = mask64(prefix);
      this.loMask = mask64(prefix - 64);
      this.hiNet = toLong(bytes, 0) & hiMask;
      this.loNet = toLong(bytes, 8) & loMask;
    }
  }

  /**
   * Parses a CIDR (see the class comment for the grammar).
   *
   * @throws IllegalArgumentException naming the text and what is wrong with it
   */
  public static Cidr parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("CIDR must not be null");
    }
    String t = text.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty CIDR");
    }
    String addressText;
    String prefixText;
    if (t.charAt(0) == '[') {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("bad CIDR \"" + text + "\": missing ']'");
      }
      addressText = t.substring(1, close).strip();
      String rest = t.substring(close + 1).strip();
      if (rest.isEmpty()) {
        prefixText = null;
      } else if (rest.charAt(0) == '/') {
        prefixText = rest.substring(1).strip();
      } else {
        throw new IllegalArgumentException(
            "bad CIDR \"" + text + "\": unexpected \"" + rest + "\" after ']'");
      }
      if (addressText.indexOf(':') < 0) {
        throw new IllegalArgumentException(
            "bad CIDR \"" + text + "\": brackets are for IPv6 addresses only");
      }
    } else {
      int slash = t.indexOf('/');
      addressText = (slash < 0 ? t : t.substring(0, slash)).strip();
      prefixText = slash < 0 ? null : t.substring(slash + 1).strip();
    }
    if (addressText.isEmpty()) {
      throw new IllegalArgumentException("bad CIDR \"" + text + "\": missing address");
    }
    if (addressText.indexOf('%') >= 0) {
      throw new IllegalArgumentException("bad CIDR \"" + text + "\": IPv6 zones are not allowed");
    }
    IPAddress address;
    try {
      address = new IPAddressString(addressText, STRICT).toAddress();
    } catch (AddressStringException | IncompatibleAddressException e) {
      throw new IllegalArgumentException(
          "bad CIDR \"" + text + "\": not an IP address: " + addressText, e);
    }
    if (address.getNetworkPrefixLength() != null) {
      throw new IllegalArgumentException("bad CIDR \"" + text + "\": misplaced prefix length");
    }
    int bits = address.getBitCount();
    int prefixLength = bits;
    if (prefixText != null) {
      if (prefixText.isEmpty() || prefixText.length() > 3 || !allDigits(prefixText)) {
        throw new IllegalArgumentException(
            "bad CIDR \"" + text + "\": prefix length must be a number 0-" + bits);
      }
      prefixLength = Integer.parseInt(prefixText);
      if (prefixLength > bits) {
        throw new IllegalArgumentException(
            "bad CIDR \"" + text + "\": prefix length " + prefixLength + " > " + bits);
      }
    }
    IPAddress withPrefix = address.setPrefixLength(prefixLength, false);
    IPAddress blk = withPrefix.toPrefixBlock();
    if (!blk.getLower().withoutPrefixLength().equals(address)) {
      throw new IllegalArgumentException(
          "bad CIDR \""
              + text
              + "\": host bits are set below /"
              + prefixLength
              + "; did you mean "
              + format(blk)
              + "?");
    }
    return new Cidr(blk);
  }

  /** The block holding exactly one address ({@code /32} or {@code /128}). */
  public static Cidr host(InetAddress address) {
    Objects.requireNonNull(address, "address");
    byte[] b = address.getAddress();
    IPAddress a =
        b.length == 4 ? new inet.ipaddr.ipv4.IPv4Address(b) : new inet.ipaddr.ipv6.IPv6Address(b);
    return new Cidr(a.setPrefixLength(a.getBitCount(), false).toPrefixBlock());
  }

  /** Whether the address lies inside this block (same family only). */
  public boolean contains(InetAddress address) {
    if (address instanceof Inet4Address) {
      return ipv4 && containsIPv4(toInt(address.getAddress()));
    }
    if (address instanceof Inet6Address) {
      if (ipv4) {
        return false;
      }
      byte[] b = address.getAddress();
      return containsIPv6(toLong(b, 0), toLong(b, 8));
    }
    return false;
  }

  boolean containsIPv4(int address) {
    return (address & v4Mask) == v4Net;
  }

  boolean containsIPv6(long hi, long lo) {
    return (hi & hiMask) == hiNet && (lo & loMask) == loNet;
  }

  public boolean isIPv4() {
    return ipv4;
  }

  public int prefixLength() {
    return prefix;
  }

  /** The block as an {@code ipaddress} prefix block, for further address math. */
  public IPAddress toIPAddress() {
    return block;
  }

  /** Canonical text: {@code 10.0.0.0/8}, {@code [2001:db8::]/32}; parses back to an equal block. */
  @Override
  public String toString() {
    return format(block);
  }

  static String format(IPAddress blk) {
    String a = blk.getLower().withoutPrefixLength().toCompressedString();
    int p = blk.getNetworkPrefixLength() == null ? blk.getBitCount() : blk.getNetworkPrefixLength();
    return blk.isIPv4() ? a + "/" + p : "[" + a + "]/" + p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c
        && c.ipv4 == ipv4
        && c.prefix == prefix
        && c.v4Net == v4Net
        && c.hiNet == hiNet
        && c.loNet == loNet;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ipv4, prefix, v4Net, hiNet, loNet);
  }

  // ---- bit helpers shared by the package ----

  static int toInt(byte[] b) {
    return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
  }

  static long toLong(byte[] b, int off) {
    long v = 0;
    for (int i = off; i < off + 8; i++) {
      v = v << 8 | (b[i] & 0xFF);
    }
    return v;
  }

  /** A mask with the top {@code bits} bits set (0 when bits <= 0, all ones when bits >= 64). */
  static long mask64(int bits) {
    if (bits <= 0) {
      return 0L;
    }
    if (bits >= 64) {
      return -1L;
    }
    return -1L << (64 - bits);
  }

  private static boolean allDigits(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static IPAddressStringParameters strictParameters() {
    IPAddressStringParameters.Builder b =
        new IPAddressStringParameters.Builder()
            .allowEmpty(false)
            .allowAll(false)
            .allowSingleSegment(false)
            .allowPrefix(false)
            .allowMask(false)
            .allowPrefixOnly(false)
            .allowWildcardedSeparator(false)
            .setRangeOptions(RangeParameters.NO_RANGE)
            .allow_inet_aton(false);
    b.getIPv4AddressParametersBuilder()
        .allow_inet_aton(false)
        .allowBinary(false)
        .allowLeadingZeros(false)
        .allowUnlimitedLeadingZeros(false)
        .setRangeOptions(RangeParameters.NO_RANGE);
    b.getIPv6AddressParametersBuilder()
        .allowZone(false)
        .allowEmptyZone(false)
        .allowBase85(false)
        .allowBinary(false)
        .allowUnlimitedLeadingZeros(false)
        .setRangeOptions(RangeParameters.NO_RANGE)
        .getEmbeddedIPv4AddressParametersBuilder()
        .allow_inet_aton(false)
        .allowLeadingZeros(false);
    return b.toParams();
  }
}
