package io.sluice.tor.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Extra torrc lines and the keys they may set. Lines from the API (fleet settings) may use {@link
 * #API_KEYS}; lines from the {@code SLUICE_TOR_TORRC_EXTRA} file may also use {@link
 * #FILE_ONLY_KEYS}. Anything that moves a port, the data directory, authentication or ownership
 * ({@code ControlPort}, {@code SocksPort}, {@code DataDirectory}, {@code HashedControlPassword},
 * {@code __*}), runs a program ({@code ClientTransportPlugin}) or writes files ({@code Log}) is
 * refused, and so is a line with a control character or a torrc prefix ({@code +}, {@code /},
 * {@code %include}).
 */
public final class TorrcLines {

  /** Keys settable through the API (compared case-insensitively, as tor does). */
  public static final Set<String> API_KEYS =
      Set.of(
          "exitnodes",
          "excludeexitnodes",
          "excludenodes",
          "entrynodes",
          "strictnodes",
          "numentryguards",
          "useentryguards",
          "circuitbuildtimeout",
          "learncircuitbuildtimeout",
          "newcircuitperiod",
          "clientuseipv4",
          "clientuseipv6",
          "clientpreferipv6orport",
          "reachableaddresses",
          "fascistfirewall",
          "connectionpadding",
          "reducedconnectionpadding",
          "circuitpadding",
          "usebridges",
          "bridge",
          "geoipexcludeunknown",
          "pathsneededtobuildcircuits");

  /** Keys the {@code SLUICE_TOR_TORRC_EXTRA} file may set on top of {@link #API_KEYS}. */
  public static final Set<String> FILE_ONLY_KEYS =
      Set.of(
          "disablenetwork",
          "testingtornetwork",
          "dirauthority",
          "alternatebridgeauthority",
          "geoipfile",
          "geoipv6file",
          "assumereachable");

  private static final Pattern LINE =
      Pattern.compile("([A-Za-z][A-Za-z0-9]{0,63})[ \\t]+(.{1,4000})");

  private TorrcLines() {}

  /**
   * Checks {@code lines}: blank lines and {@code #} comments are dropped, every other line must be
   * {@code Key value} with an allowed key.
   *
   * @param fromFile whether the file-only keys are allowed too
   * @return the lines to write, trimmed
   * @throws IllegalArgumentException naming the first bad line (1-based)
   */
  public static List<String> check(List<String> lines, boolean fromFile) {
    List<String> out = new ArrayList<>();
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if ((c < 0x20 && c != '\t') || c == 0x7f) {
          throw new IllegalArgumentException("line " + n + ": control character");
        }
      }
      Matcher m = LINE.matcher(line);
      if (!m.matches() || line.endsWith("\\")) {
        throw new IllegalArgumentException("line " + n + ": not 'Key value'");
      }
      String key = m.group(1).toLowerCase(Locale.ROOT);
      if (!API_KEYS.contains(key) && !(fromFile && FILE_ONLY_KEYS.contains(key))) {
        throw new IllegalArgumentException(
            "line " + n + ": the key " + m.group(1) + " is not allowed here");
      }
      out.add(line);
    }
    return out;
  }
}
