package io.sluice.tor.infra.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A node's torrc, from a fixed template: loopback-only SOCKS and control ports (fixed or {@code
 * auto} with {@code ControlPortWriteToFile}), cookie authentication, {@code
 * __OwningControllerProcess}, {@code ConfluxEnabled 0}, a raised {@code MaxCircuitDirtiness},
 * {@code ExitNodes}/{@code StrictNodes} for the node's countries, then the checked extra lines.
 */
public final class Torrc {

  /** The file tor writes its control address to. */
  public static final String CONTROL_PORT_FILE = "control-port";

  /** The authentication cookie. */
  public static final String COOKIE_FILE = "control_auth_cookie";

  public static final String TORRC_FILE = "torrc";
  public static final String LOG_FILE = "notice.log";

  private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9/_.+-]{1,1000}");

  private Torrc() {}

  /** The torrc text for {@code c}. */
  public static String render(NodeConfig c) {
    String dir = c.dataDirectory().toAbsolutePath().toString();
    if (!SAFE_PATH.matcher(dir).matches()) {
      throw new IllegalArgumentException("data directory path has unusual characters: " + dir);
    }
    List<String> l = new ArrayList<>();
    l.add("# Written by Sluice for this node on every start; changes here are lost.");
    l.add("DataDirectory " + dir);
    l.add("SocksPort 127.0.0.1:" + port(c.socksPort()));
    l.add("ControlPort 127.0.0.1:" + port(c.controlPort()));
    l.add("ControlPortWriteToFile " + dir + "/" + CONTROL_PORT_FILE);
    l.add("CookieAuthentication 1");
    l.add("CookieAuthFile " + dir + "/" + COOKIE_FILE);
    l.add("__OwningControllerProcess " + c.ownerPid());
    l.add("ConfluxEnabled 0");
    l.add("MaxCircuitDirtiness " + c.maxCircuitDirtinessSeconds());
    l.add("Log notice file " + dir + "/" + LOG_FILE);
    l.add("RunAsDaemon 0");
    if (!c.countries().isEmpty()) {
      l.add("ExitNodes " + ExitNodesConf.countries(c.countries()));
      l.add("StrictNodes 1");
    }
    l.addAll(c.extraLines());
    return String.join("\n", l) + "\n";
  }

  private static String port(int p) {
    return p == 0 ? "auto" : Integer.toString(p);
  }

  /**
   * Creates the data directory (0700, and made 0700 again if it existed) and writes the torrc into
   * it; returns the torrc's path.
   */
  public static Path write(NodeConfig c) throws IOException {
    Path dir = c.dataDirectory();
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Path torrc = dir.resolve(TORRC_FILE);
    Files.writeString(torrc, render(c), StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(torrc, PosixFilePermissions.fromString("rw-------"));
    return torrc;
  }
}
