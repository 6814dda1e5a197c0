package io.sluice.tor.infra.process;

import java.nio.file.Path;
import java.util.List;

/**
 * How this server runs its nodes.
 *
 * @param binary the tor program ({@code SLUICE_TOR_BINARY})
 * @param dataDirectory the parent of the nodes' data directories ({@code SLUICE_TOR_DATA_DIR})
 * @param fixedPorts whether node {@code i} uses {@code socksBase + i} and {@code controlBase + i}
 *     instead of {@code auto}
 * @param socksBase the first SOCKS port (30000)
 * @param controlBase the first control port (40000)
 * @param portCount how many ports each range has (100): the most nodes with fixed ports
 * @param fileLines the checked lines of the {@code SLUICE_TOR_TORRC_EXTRA} file
 * @param maxCircuitDirtinessSeconds tor's {@code MaxCircuitDirtiness}
 * @param timing the supervisors' limits
 */
public record FleetConfig(
    Path binary,
    Path dataDirectory,
    boolean fixedPorts,
    int socksBase,
    int controlBase,
    int portCount,
    List<String> fileLines,
    int maxCircuitDirtinessSeconds,
    Timing timing) {

  public FleetConfig {
    fileLines = List.copyOf(fileLines);
  }
}
