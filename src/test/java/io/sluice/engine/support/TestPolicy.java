package io.sluice.engine.support;

import io.sluice.engine.spi.DestinationPolicy;
import io.sluice.engine.spi.PolicyDecision;
import io.sluice.engine.spi.ProxyPrincipal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Allows everything except denied ports; records every check. */
public final class TestPolicy implements DestinationPolicy {

  public final Set<Integer> deniedPorts = ConcurrentHashMap.newKeySet();
  public final List<InetSocketAddress> checked = new CopyOnWriteArrayList<>();

  @Override
  public PolicyDecision check(ProxyPrincipal principal, InetAddress address, int port) {
    checked.add(new InetSocketAddress(address, port));
    return deniedPorts.contains(port)
        ? PolicyDecision.deny("test-denied")
        : PolicyDecision.allow("test");
  }
}
