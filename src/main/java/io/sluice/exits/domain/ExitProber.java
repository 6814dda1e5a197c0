package io.sluice.exits.domain;

import java.net.URI;

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

  /** False while probes cannot run (the proxy engine whose connectors they use is not running). */
  default boolean ready() {
    return true;
  }
}
