package io.sluice.vms.app;

import jakarta.enterprise.context.ApplicationScoped;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses of this host's network interfaces that are up, leaving out loopback, link-local and
 * wildcard addresses: what the stats document shows as the host's external addresses.
 */
@ApplicationScoped
public class HostAddresses {

  private static final Logger LOG = System.getLogger(HostAddresses.class.getName());

  /** IPv4 addresses first, each without a zone suffix ({@code %eth0}). */
  public List<String> external() {
    Set<InetAddress> found = new LinkedHashSet<>();
    try {
      for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!ni.isUp() || ni.isLoopback()) {
          continue;
        }
        for (InetAddress a : Collections.list(ni.getInetAddresses())) {
          if (!a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress()) {
            found.add(a);
          }
        }
      }
    } catch (SocketException e) {
      LOG.log(Level.WARNING, "SLUICE0563W: cannot list the network interfaces: {0}", e.toString());
    }
    List<InetAddress> sorted = new ArrayList<>(found);
    sorted.sort(Comparator.comparing(a -> a instanceof Inet4Address ? 0 : 1));
    return sorted.stream().map(HostAddresses::text).distinct().toList();
  }

  private static String text(InetAddress a) {
    String s = a.getHostAddress();
    int zone = s.indexOf('%');
    return zone < 0 ? s : s.substring(0, zone);
  }
}
