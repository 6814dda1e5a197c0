package io.sluice.tor.infra.process;

import io.sluice.tor.infra.control.ControlArgs;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The control commands that move a running node's {@code ExitNodes}: pinning it to the one exit it
 * uses (so tor cannot move the node's traffic to another exit between rotations), and back to what
 * its torrc says (its countries, else an {@code ExitNodes} extra line, else tor's default) before a
 * rotation. Changing {@code ExitNodes} makes tor abandon its circuits for new streams; streams
 * already open keep theirs.
 */
final class ExitNodesConf {

  private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-F]{40}");
  private static final Pattern COUNTRY = Pattern.compile("[a-z]{2}");

  private ExitNodesConf() {}

  /** {@code ExitNodes} for {@code countries}: {@code {de},{us}}. */
  static String countries(List<String> countries) {
    StringBuilder b = new StringBuilder();
    for (String cc : countries) {
      if (!COUNTRY.matcher(cc).matches()) {
        throw new IllegalArgumentException("not a country code: " + cc);
      }
      b.append(b.isEmpty() ? "" : ",").append('{').append(cc).append('}');
    }
    return b.toString();
  }

  /** {@code SETCONF} that lets the node use only the relay {@code fingerprint} as its exit. */
  static String pin(String fingerprint) {
    String fp = fingerprint.toUpperCase(Locale.ROOT);
    if (!FINGERPRINT.matcher(fp).matches()) {
      throw new IllegalArgumentException("not a relay fingerprint: " + fingerprint);
    }
    return "SETCONF ExitNodes=" + ControlArgs.quoted("$" + fp) + " StrictNodes=1";
  }

  /**
   * The command that gives the node its configured exits again: its countries with {@code
   * StrictNodes 1} (as its torrc has them), else the {@code ExitNodes}/{@code StrictNodes} of its
   * extra lines, else tor's defaults ({@code RESETCONF}).
   */
  static String unpin(List<String> countries, List<String> extraLines) {
    if (!countries.isEmpty()) {
      return "SETCONF ExitNodes=" + ControlArgs.quoted(countries(countries)) + " StrictNodes=1";
    }
    String exitNodes = lastValue(extraLines, "exitnodes");
    String strict = lastValue(extraLines, "strictnodes");
    StringBuilder b = new StringBuilder();
    if (exitNodes == null && strict == null) {
      return "RESETCONF ExitNodes StrictNodes";
    }
    b.append("SETCONF");
    b.append(exitNodes == null ? " ExitNodes" : " ExitNodes=" + ControlArgs.quoted(exitNodes));
    b.append(strict == null ? " StrictNodes" : " StrictNodes=" + ControlArgs.quoted(strict));
    return b.toString();
  }

  /** The value of the last {@code key value} line for {@code key} (case-insensitive), or null. */
  private static String lastValue(List<String> lines, String key) {
    String found = null;
    for (String line : lines) {
      String[] kv = line.strip().split("[ \\t]+", 2);
      if (kv.length == 2 && kv[0].toLowerCase(Locale.ROOT).equals(key)) {
        found = kv[1].strip();
      }
    }
    return found;
  }
}
