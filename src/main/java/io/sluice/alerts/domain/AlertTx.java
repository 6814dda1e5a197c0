package io.sluice.alerts.domain;

import java.util.function.Function;

/** Runs work on the store in a transaction of its own, committed when it returns. */
@FunctionalInterface
public interface AlertTx {

  <T> T inTransaction(Function<AlertStore, T> work);
}
