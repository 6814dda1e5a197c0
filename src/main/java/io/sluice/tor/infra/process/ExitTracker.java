package io.sluice.tor.infra.process;

import io.sluice.tor.domain.ExitInfo;
import io.sluice.tor.infra.control.TorControlConnection;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's current exit, asked from tor rather than guessed: the circuit the node's last user
 * stream succeeded on since its last rotation (from its {@code STREAM} events, while that circuit
 * is still built; {@code GETINFO stream-status} is not used, it also lists tor's own directory
 * streams without saying so); that circuit's last hop, the relay's address from {@code
 * ns/id/<fingerprint>}, and its country from {@code ip-to-country/<ip>} (control-spec sections 3.9
 * and 4.1.1-4.1.2). Without a stream since the last rotation the exit is unknown: tor keeps several
 * clean circuits ready and picks one only when a stream comes, so any circuit named before that
 * would be a guess.
 */
public final class ExitTracker {

  private static final Pattern FINGERPRINT = Pattern.compile("\\$?([0-9A-Fa-f]{40})");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private ExitTracker() {}

  /**
   * The exit of the node behind {@code c}, with {@code usedCircuit} the circuit id its last stream
   * succeeded on (null when none since its last rotation); empty when unknown.
   */
  public static Optional<ExitInfo> current(TorControlConnection c, String usedCircuit)
      throws IOException {
    String fp = exitOf(c.getInfo("circuit-status"), usedCircuit);
    if (fp == null) {
      return Optional.empty();
    }
    String ip = addressOf(c.getInfo("ns/id/" + fp));
    if (ip == null) {
      return Optional.empty();
    }
    String cc = c.getInfo("ip-to-country/" + ip);
    String country =
        cc == null || !cc.strip().matches("[A-Za-z]{2}") || cc.strip().equals("??")
            ? null
            : cc.strip().toLowerCase(Locale.ROOT);
    return Optional.of(new ExitInfo(ip, fp, country));
  }

  /**
   * Follows a node's {@code STREAM} events (control-spec 4.1.2): a stream is a user's when its
   * {@code NEW} event says {@code PURPOSE=USER} (tor's own directory streams say {@code DIR_FETCH}
   * or {@code DIR_UPLOAD}, and only {@code NEW} events carry a purpose); returns the circuit id of
   * a user's stream's {@code SUCCEEDED} event, else null.
   */
  static final class Streams {
    private final java.util.Set<String> users = java.util.concurrent.ConcurrentHashMap.newKeySet();

    String onEvent(String event) {
      String[] f = event.strip().split(" ");
      if (f.length < 4 || !f[0].equals("STREAM")) {
        return null;
      }
      String id = f[1];
      switch (f[2]) {
        case "NEW" -> {
          if (event.contains(" PURPOSE=USER") && users.size() < 10_000) {
            users.add(id);
          }
          return null;
        }
        case "SUCCEEDED" -> {
          return users.remove(id) && f[3].matches("[1-9]\\d{0,9}") ? f[3] : null;
        }
        case "CLOSED", "FAILED" -> {
          users.remove(id);
          return null;
        }
        default -> {
          return null;
        }
      }
    }
  }

  /**
   * The ids of the circuits being built or built ({@code LAUNCHED}, {@code EXTENDED}, {@code
   * BUILT}).
   */
  static java.util.List<String> openCircuits(String circuitStatus) {
    java.util.List<String> ids = new java.util.ArrayList<>();
    if (circuitStatus == null) {
      return ids;
    }
    for (String line : circuitStatus.split("\n")) {
      String[] f = line.strip().split(" ");
      if (f.length >= 2
          && f[0].matches("[1-9]\\d{0,9}")
          && (f[1].equals("BUILT") || f[1].equals("EXTENDED") || f[1].equals("LAUNCHED"))) {
        ids.add(f[0]);
      }
    }
    return ids;
  }

  /** The fingerprint of the last hop of the BUILT circuit {@code id}, or null. */
  static String exitOf(String circuitStatus, String id) {
    if (circuitStatus == null || id == null) {
      return null;
    }
    String found = null;
    for (String line : circuitStatus.split("\n")) {
      String[] f = line.strip().split(" ");
      if (f.length < 3 || !f[1].equals("BUILT")) {
        continue;
      }
      if (f[0].equals(id)) {
        String[] hops = f[2].split(",");
        Matcher m = FINGERPRINT.matcher(hops[hops.length - 1]);
        if (m.lookingAt()) {
          found = m.group(1).toUpperCase(Locale.ROOT);
        }
      }
    }
    return found;
  }

  /**
   * The IPv4 address of an {@code r} line ({@code r nick id digest date time IP ORPort DirPort}).
   */
  static String addressOf(String ns) {
    if (ns == null) {
      return null;
    }
    for (String line : ns.split("\n")) {
      String[] f = line.strip().split(" ");
      if (f.length >= 9 && f[0].equals("r") && IPV4.matcher(f[6]).matches()) {
        return f[6];
      }
    }
    return null;
  }
}
