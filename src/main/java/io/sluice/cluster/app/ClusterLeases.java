package io.sluice.cluster.app;

import io.sluice.cluster.domain.LeaseStore;
import io.sluice.platform.node.NodeIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;

/**
 * Once-per-cluster work: a periodic job asks {@link #tryHold} before each run; exactly one node
 * gets the named lease until it expires (renewed by its holder's next call), so the job runs on one
 * node at a time and moves to another when its holder stops renewing. {@code GET /api/v1/nodes}
 * shows which node holds which lease.
 */
@ApplicationScoped
public class ClusterLeases {

  private static final Logger LOG = System.getLogger(ClusterLeases.class.getName());

  @Inject LeaseStore store;
  @Inject NodeIdentity identity;

  /** Whether this node holds (took or renewed) the lease {@code name} for the next {@code ttl}. */
  public boolean tryHold(String name, Duration ttl) {
    try {
      return store.acquire(name, identity.id(), Instant.now().plus(ttl));
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "SLUICE0715W: cluster lease {0}: cannot reach the database: {1}",
          new Object[] {name, e.getMessage()});
      return false;
    }
  }

  /** Gives the lease up (a job stopped on this node), so another node takes it at once. */
  public void release(String name) {
    try {
      store.release(name, identity.id());
    } catch (RuntimeException e) {
      // it expires by itself
    }
  }
}
