package io.sluice.exits.domain;

import java.net.URI;
import java.util.concurrent.CompletableFuture;

/**
 * Port: checks one exit by fetching an IP-echo URL through it. Implemented in {@code
 * io.sluice.exits.infra} on the proxy engine's own connectors; the health service depends on this
 * interface only.
 */
public interface ExitProber {

  /**
   * Probes {@code exit} by fetching {@code echoUrl} ({@code http://host[:port]/path}) through it.
   * Never throws for network problems: every outcome is a {@link ProbeResult}.
   */
  ProbeResult probe(ProbeTarget exit, URI echoUrl);

  /**
   * The same probe without holding the caller's thread while it runs; never completes exceptionally
   * for network problems. The default runs {@link #probe} at once on the caller's thread (for
   * probers that have nothing better).
   */
  default CompletableFuture<ProbeResult> probeAsync(ProbeTarget exit, URI echoUrl) {
    return CompletableFuture.completedFuture(probe(exit, echoUrl));
  }

  /** False while probes cannot run (the proxy engine whose connectors they use is not running). */
  default boolean ready() {
    return true;
  }
}
