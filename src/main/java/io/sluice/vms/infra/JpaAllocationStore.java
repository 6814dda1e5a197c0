package io.sluice.vms.infra;

import io.sluice.platform.db.EmSql;
import io.sluice.platform.db.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * {@link SqlAllocationStore} as a CDI bean on the container's entity manager (the caller's JTA
 * transaction).
 */
@ApplicationScoped
public class JpaAllocationStore extends SqlAllocationStore {

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  public JpaAllocationStore() {
    super(null);
  }

  @Override
  protected Sql sql() {
    return new EmSql(em);
  }
}
