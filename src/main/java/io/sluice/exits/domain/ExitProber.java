package io.sluice.exits.domain;

import java.net.URI;

/**
 * Port: checks one exit by fetching an IP-echo URL through it. Implemented by the blocking socket
 * probe in {@code io.sluice.exits.infra}; the health service depends on this interface only.
 */
public interface ExitProber {

  /**
   * Probes {@code exit} by fetching {@code echoUrl} ({@code http://host[:port]/path}) through it.
   * Never throws for network problems: every outcome is a {@link ProbeResult}.
   */
  ProbeResult probe(ProbeTarget exit, URI echoUrl);
}
