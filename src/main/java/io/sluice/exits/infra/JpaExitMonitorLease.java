package io.sluice.exits.infra;

import io.sluice.exits.domain.ExitMonitorLease;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;

/**
 * {@link ExitMonitorLease} on the {@code cluster_lease} row named {@code exit-monitor}, with one
 * conditional native {@code UPDATE} (JPQL has no entity for the lease table). Callers own the
 * transaction.
 */
@ApplicationScoped
public class JpaExitMonitorLease implements ExitMonitorLease {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  @Override
  public boolean acquire(String holder, Instant until) {
    int n =
        em.createNativeQuery(
                "UPDATE cluster_lease SET holder = ?, valid_until = ? WHERE name = 'exit-monitor' "
                    + "AND (valid_until < ? OR holder = ?)")
            .setParameter(1, holder)
            .setParameter(2, java.sql.Timestamp.from(until))
            .setParameter(3, java.sql.Timestamp.from(Instant.now()))
            .setParameter(4, holder)
            .executeUpdate();
    return n == 1;
  }
}
