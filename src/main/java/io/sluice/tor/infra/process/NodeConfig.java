package io.sluice.tor.infra.process;

import java.nio.file.Path;
import java.util.List;

/**
 * What one node is started with.
 *
 * @param binary the tor program
 * @param dataDirectory the node's own DataDirectory (created 0700)
 * @param socksPort a fixed SOCKS port, or 0 for {@code auto}
 * @param controlPort a fixed control port, or 0 for {@code auto}
 * @param countries exit countries (ISO alpha-2, lower case); empty for any
 * @param maxCircuitDirtinessSeconds how long tor may reuse a circuit (raised so that only a
 *     rotation changes the exit)
 * @param extraLines checked extra torrc lines (settings and the {@code SLUICE_TOR_TORRC_EXTRA}
 *     file)
 * @param ownerPid the process that owns tor ({@code __OwningControllerProcess}); tor exits when it
 *     dies
 */
public record NodeConfig(
    Path binary,
    Path dataDirectory,
    int socksPort,
    int controlPort,
    List<String> countries,
    int maxCircuitDirtinessSeconds,
    List<String> extraLines,
    long ownerPid) {

  public NodeConfig {
    countries = List.copyOf(countries);
    extraLines = List.copyOf(extraLines);
  }

  /** This configuration with other exit countries. */
  public NodeConfig withCountries(List<String> newCountries) {
    return new NodeConfig(
        binary,
        dataDirectory,
        socksPort,
        controlPort,
        newCountries,
        maxCircuitDirtinessSeconds,
        extraLines,
        ownerPid);
  }
}
