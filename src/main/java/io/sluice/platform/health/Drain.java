package io.sluice.platform.health;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this node is being taken out of service: its drain marker file exists. A Kubernetes
 * {@code preStop} hook (or an operator, before {@code systemctl stop}) creates the file; readiness
 * then goes DOWN while the proxy listeners still accept, so load balancers stop sending new
 * connections before {@code SIGTERM} closes the listeners and drains the live sessions. Without a
 * configured file the node never drains this way.
 */
public final class Drain {

  private final Optional<Path> marker;

  /** A drain signalled by the file {@code marker}, or never when it is empty. */
  public Drain(Optional<Path> marker) {
    this.marker = marker;
  }

  /** The marker file, if one is configured. */
  public Optional<Path> marker() {
    return marker;
  }

  /** True once the marker file exists. */
  public boolean draining() {
    return marker.map(Files::exists).orElse(false);
  }

  /**
   * Removes a marker left from before this start (a node that was drained and then started again on
   * the same file system must serve again); true if there was one.
   */
  public boolean clearStale() {
    if (marker.isEmpty()) {
      return false;
    }
    try {
      return Files.deleteIfExists(marker.get());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the drain marker " + marker.get(), e);
    }
  }
}
