package io.sluice.gateway;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value the proxy reads on every connection but that comes from somewhere slow (a setting in the
 * database): {@link #get} only reads a field, {@link #refresh} (called off the event loops: at
 * start, on a schedule and when the setting changes) asks the source. A failing source keeps the
 * last value.
 */
final class Refreshed<T> implements Supplier<T> {

  private static final Logger LOG = System.getLogger(Refreshed.class.getName());

  private final String name;
  private final Supplier<T> source;
  private volatile T value;

  Refreshed(String name, Supplier<T> source, T initial) {
    this.name = name;
    this.source = source;
    this.value = Objects.requireNonNull(initial);
  }

  @Override
  public T get() {
    return value;
  }

  /** Asks the source again; blocking, never on an event loop. */
  void refresh() {
    try {
      T v = source.get();
      if (v != null) {
        value = v;
      }
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "SLUICE1300W: refreshing {0} failed, keeping the last value: {1}",
          new Object[] {name, e.getMessage()});
    }
  }
}
