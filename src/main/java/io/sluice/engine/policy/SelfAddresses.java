package io.sluice.engine.policy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The gateway's own addresses as {@link DefaultDestinationPolicy} checks them: the set as given
 * (nulls dropped, order kept) and primitive copies for allocation-free lookups. Immutable.
 */
final class SelfAddresses {

  private final Set<InetAddress> addresses;
  private final int[] v4;
  private final long[] v6Hi;
  private final long[] v6Lo;

  SelfAddresses(Collection<? extends InetAddress> given) {
    Set<InetAddress> self = new LinkedHashSet<>();
    if (given != null) {
      for (InetAddress a : given) {
        if (a != null) {
          self.add(a);
        }
      }
    }
    this.addresses = Collections.unmodifiableSet(self);
    int n4 = (int) self.stream().filter(a -> a instanceof Inet4Address).count();
    v4 = new int[n4];
    v6Hi = new long[self.size() - n4];
    v6Lo = new long[self.size() - n4];
    int i4 = 0;
    int i6 = 0;
    for (InetAddress a : self) {
      byte[] b = a.getAddress();
      if (a instanceof Inet4Address) {
        v4[i4++] = Cidr.toInt(b);
      } else {
        v6Hi[i6] = Cidr.toLong(b, 0);
        v6Lo[i6++] = Cidr.toLong(b, 8);
      }
    }
  }

  Set<InetAddress> addresses() {
    return addresses;
  }

  boolean containsIPv4(int address) {
    for (int s : v4) {
      if (s == address) {
        return true;
      }
    }
    return false;
  }

  boolean containsIPv6(long hi, long lo) {
    for (int i = 0; i < v6Hi.length; i++) {
      if (v6Hi[i] == hi && v6Lo[i] == lo) {
        return true;
      }
    }
    return false;
  }
}
