package io.sluice.alerts.app;

import io.sluice.alerts.domain.AlertStore;
import io.sluice.alerts.domain.AlertTx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.function.Function;

/** {@link AlertTx} in the container: each call its own JTA transaction. */
@ApplicationScoped
public class AlertTransactions implements AlertTx {

  @Inject AlertStore store;

  @Override
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public <T> T inTransaction(Function<AlertStore, T> work) {
    return work.apply(store);
  }
}
