package io.sluice.alerts.infra;

import io.sluice.platform.db.EmSql;
import io.sluice.platform.db.Sql;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** {@link SqlAlertStore} on the container's entity manager (the caller's JTA transaction). */
@ApplicationScoped
public class JpaAlertStore extends SqlAlertStore {

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  public JpaAlertStore() {
    super(null);
  }

  @Override
  protected Sql sql() {
    return new EmSql(em);
  }
}
