package io.sluice.vms.app;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.sluice.vms.domain.Addresses;
import io.sluice.vms.domain.PoolAllocator;
import io.sluice.vms.domain.PoolPrefix;
import io.sluice.vms.domain.Reserved;
import java.math.BigInteger;
import java.util.List;

/**
 * Checks and builds pool prefixes with the ipaddress library: IPv4 /8 to /30, IPv6 /64 or shorter,
 * given as a network (no host bits), gateway inside the prefix (default: the first usable address),
 * usable counts, and overlap between prefixes.
 */
final class PrefixRules {

  private PrefixRules() {}

  /** A checked prefix: the network block and its canonical CIDR text. */
  record Block(IPAddress block, String cidr, int family, int length) {}

  /** Parses one prefix of the family; the message of the exception says what is wrong. */
  static Block parse(String text, int family) {
    IPAddress a = text == null ? null : new IPAddressString(text.trim()).getAddress();
    if (a == null || !a.isPrefixed()) {
      throw new IllegalArgumentException("'" + text + "' is not a prefix in CIDR notation");
    }
    int f = a.isIPv4() ? 4 : 6;
    if (f != family) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv" + family + " prefix");
    }
    int len = a.getNetworkPrefixLength();
    if (f == 4 && (len < 8 || len > 30)) {
      throw new IllegalArgumentException("'" + text + "': IPv4 prefixes are /8 to /30");
    }
    if (f == 6 && len > 64) {
      throw new IllegalArgumentException("'" + text + "': IPv6 prefixes are /64 or shorter");
    }
    IPAddress block = a.toPrefixBlock();
    if (!a.getLower().equals(block.getLower())) {
      throw new IllegalArgumentException(
          "'" + text + "' has host bits set; the network is " + block.toCanonicalString());
    }
    String cidr = Addresses.format(block.getLower().getValue(), f) + "/" + len;
    return new Block(block, cidr, f, len);
  }

  /** Whether two blocks share an address. */
  static boolean overlap(Block a, Block b) {
    return a.family() == b.family()
        && (a.block().contains(b.block()) || b.block().contains(a.block()));
  }

  /** The default gateway of a prefix: its first usable address. */
  static String defaultGateway(Block b) {
    return Addresses.format(b.block().getLower().getValue().add(BigInteger.ONE), b.family());
  }

  /** Whether the address is a usable (not network, not broadcast) address of the block. */
  static boolean usableIn(String address, Block b) {
    BigInteger n = Addresses.parse(address);
    if (n == null || Addresses.family(address) != b.family()) {
      return false;
    }
    BigInteger lo = b.block().getLower().getValue();
    BigInteger hi = b.block().getUpper().getValue();
    return n.compareTo(lo) > 0 && (n.compareTo(hi) < 0 || b.family() == 6 && n.equals(hi));
  }

  /** The prefix record (id 0) with its usable count. */
  static PoolPrefix prefix(Block b, String gateway, List<String> reserved) {
    PoolPrefix p = new PoolPrefix(0, b.cidr(), b.family(), b.length(), gateway, 0);
    long usable;
    if (b.family() == 4) {
      usable = PoolAllocator.usable(p, Reserved.parse(reserved, 4)).count();
    } else {
      BigInteger size = BigInteger.ONE.shiftLeft(128 - b.length());
      BigInteger n = size.subtract(BigInteger.valueOf(2 + 128)); // id 0, gateway, anycast ids
      for (Reserved.Span s : Reserved.parse(reserved, 6).spans()) {
        BigInteger lo = s.first().max(b.block().getLower().getValue());
        BigInteger hi = s.last().min(b.block().getUpper().getValue());
        if (lo.compareTo(hi) <= 0) {
          n = n.subtract(hi.subtract(lo).add(BigInteger.ONE));
        }
      }
      usable = n.min(BigInteger.valueOf(Long.MAX_VALUE)).max(BigInteger.ZERO).longValue();
    }
    return new PoolPrefix(0, b.cidr(), b.family(), b.length(), gateway, usable);
  }
}
