package io.sluice.it;

import static io.sluice.it.Commands.must;
import static io.sluice.it.Commands.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Tor network inside a network namespace the test creates ({@code lo} and a veth pair
 * whose both ends are in the namespace, so nothing in it can reach anything outside the machine): 3
 * directory authorities (keys from {@code tor-gencert}) on 127.0.0.1, which also serve as guards
 * and middles, and 4 exits whose relay address is their own 10.99.0.21-24 on the veth (tor never
 * binds {@code OutboundBindAddress} for loopback destinations, so exits on 127.0.0.x would all
 * reach a loopback target from 127.0.0.1), mapped to de, us, fr and nl by a {@code GeoIPFile}; and
 * an IP echo on {@link #ECHO}:{@link #ECHO_PORT} that answers with the address the request came
 * from, which is the address of the exit relay that carried it. Every tor here has {@code
 * TestingTorNetwork 1} and {@code __OwningControllerProcess} = the test JVM, so it exits by itself
 * if the test JVM dies.
 *
 * <p>{@link #extraTorrc()} is the file of lines a Sluice server's fleet needs to join this network
 * ({@code SLUICE_TOR_TORRC_EXTRA}). {@code bench/tor-testnet/run.sh} is the shell version for
 * measurements with plain tor clients.
 */
final class PrivateTorNetwork implements AutoCloseable {

  static final String ECHO = "10.99.0.1";
  static final int ECHO_PORT = 8088;

  /** The exits: relay (and outbound) address and country. */
  static final List<String[]> EXITS =
      List.of(
          new String[] {"10.99.0.21", "de"},
          new String[] {"10.99.0.22", "us"},
          new String[] {"10.99.0.23", "fr"},
          new String[] {"10.99.0.24", "nl"});

  private final String ns;
  private final Path work;
  private final List<Process> processes = new ArrayList<>();
  private final List<String> dirAuthorities = new ArrayList<>();
  private boolean namespaceMade;

  private PrivateTorNetwork(String ns, Path work) {
    this.ns = ns;
    this.work = work;
  }

  /** Creates namespace {@code ns} and starts the network and the echo in it (does not wait). */
  static PrivateTorNetwork start(String ns, Path work) throws Exception {
    PrivateTorNetwork n = new PrivateTorNetwork(ns, work);
    try {
      n.makeNamespace();
      n.authorities();
      n.exits();
      n.echo();
      n.writeExtra();
    } catch (Exception | Error e) {
      n.close();
      throw e;
    }
    return n;
  }

  String namespace() {
    return ns;
  }

  /** The lines for {@code SLUICE_TOR_TORRC_EXTRA}: the network's authorities and GeoIP file. */
  Path extraTorrc() {
    return work.resolve("sluice-extra.torrc");
  }

  private void makeNamespace() throws Exception {
    must("ip", "netns", "add", ns);
    namespaceMade = true;
    must("ip", "-n", ns, "link", "set", "lo", "up");
    must("ip", "-n", ns, "link", "add", "tn0", "type", "veth", "peer", "name", "tn1");
    must("ip", "-n", ns, "addr", "add", ECHO + "/24", "dev", "tn0");
    for (String[] e : EXITS) {
      must("ip", "-n", ns, "addr", "add", e[0] + "/24", "dev", "tn0");
    }
    must("ip", "-n", ns, "link", "set", "tn0", "up");
    must("ip", "-n", ns, "link", "set", "tn1", "up");
    Files.createDirectories(work);
    StringBuilder geo = new StringBuilder();
    for (String[] e : EXITS) {
      long ip = ipv4(e[0]);
      geo.append(ip).append(',').append(ip).append(',').append(e[1].toUpperCase()).append('\n');
    }
    Files.writeString(work.resolve("geoip"), geo);
  }

  private List<String> common(Path dir) {
    return new ArrayList<>(
        List.of(
            "TestingTorNetwork 1",
            "DataDirectory " + dir,
            "RunAsDaemon 0",
            "SocksPort 0",
            "Log notice file " + dir.resolve("notice.log"),
            "ContactInfo sluice-testnet",
            "GeoIPFile " + work.resolve("geoip"),
            "__OwningControllerProcess " + ProcessHandle.current().pid(),
            "V3AuthVotingInterval 10",
            "V3AuthVoteDelay 2",
            "V3AuthDistDelay 2",
            "TestingV3AuthInitialVotingInterval 10",
            "TestingV3AuthInitialVoteDelay 2",
            "TestingV3AuthInitialDistDelay 2",
            // only the exits are exits and only the authorities are guards (a relay that is both
            // is weighted down as an exit and is never a node's exit while it is its guard)
            "TestingDirAuthVoteExit 10.99.0.0/24",
            "TestingDirAuthVoteExitIsStrict 1",
            "TestingDirAuthVoteGuard 127.0.0.0/8",
            "TestingDirAuthVoteGuardIsStrict 1",
            "TestingDirAuthVoteHSDir *",
            "TestingMinExitFlagThreshold 0",
            "PathsNeededToBuildCircuits 0.25",
            "AssumeReachable 1"));
  }

  private void authorities() throws Exception {
    List<List<String>> bases = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Path d = dir("auth" + i);
      Path keys = d.resolve("keys");
      Files.createDirectories(keys);
      Process gencert =
          new ProcessBuilder(
                  "tor-gencert",
                  "--create-identity-key",
                  "-m",
                  "12",
                  "-a",
                  "127.0.0.1:" + (7000 + i),
                  "-i",
                  "authority_identity_key",
                  "-s",
                  "authority_signing_key",
                  "-c",
                  "authority_certificate",
                  "--passphrase-fd",
                  "0")
              .directory(keys.toFile())
              .redirectErrorStream(true)
              .redirectOutput(d.resolve("gencert.log").toFile())
              .start();
      gencert.getOutputStream().write('\n');
      gencert.getOutputStream().close();
      if (!gencert.waitFor(60, TimeUnit.SECONDS) || gencert.exitValue() != 0) {
        throw new IllegalStateException("tor-gencert failed; see " + d.resolve("gencert.log"));
      }
      String v3 =
          Files.readAllLines(keys.resolve("authority_certificate")).stream()
              .filter(l -> l.startsWith("fingerprint "))
              .findFirst()
              .orElseThrow()
              .substring("fingerprint ".length())
              .strip();
      List<String> base = common(d);
      base.addAll(
          List.of(
              "Nickname auth" + i,
              "ORPort 127.0.0.1:" + (5000 + i),
              "DirPort 127.0.0.1:" + (7000 + i),
              "Address 127.0.0.1"));
      Files.write(d.resolve("torrc.base"), base);
      // tor writes the relay identity key and its "fingerprint" file, then exits
      Process fp =
          new ProcessBuilder(
                  "tor",
                  "--list-fingerprint",
                  "--defaults-torrc",
                  "/dev/null",
                  "-f",
                  d.resolve("torrc.base").toString(),
                  "--DirAuthority",
                  "x orport=1 no-v2 v3ident="
                      + v3
                      + " 127.0.0.1:1 0000000000000000000000000000000000000000")
              .redirectErrorStream(true)
              .redirectOutput(d.resolve("fingerprint.log").toFile())
              .start();
      if (!fp.waitFor(60, TimeUnit.SECONDS) || fp.exitValue() != 0) {
        throw new IllegalStateException(
            "tor --list-fingerprint failed; see " + d.resolve("fingerprint.log"));
      }
      String relayFp = Files.readString(d.resolve("fingerprint")).strip().split(" ", 2)[1];
      dirAuthorities.add(
          "DirAuthority auth"
              + i
              + " orport="
              + (5000 + i)
              + " no-v2 v3ident="
              + v3
              + " 127.0.0.1:"
              + (7000 + i)
              + " "
              + relayFp.replace(" ", ""));
      bases.add(base);
    }
    for (int i = 0; i < 3; i++) {
      Path d = work.resolve("auth" + i);
      List<String> torrc = new ArrayList<>(bases.get(i));
      torrc.addAll(dirAuthorities);
      torrc.addAll(
          List.of(
              "AuthoritativeDirectory 1",
              "V3AuthoritativeDirectory 1",
              "AuthDirMaxServersPerAddr 0",
              // the same measured bandwidth for every exit, so that tor picks among them evenly
              // (their self-reported bandwidths on loopback differ by a factor of 3)
              "V3BandwidthsFile " + work.resolve("bandwidths"),
              "ExitRelay 0",
              "ExitPolicy reject *:*"));
      Files.write(d.resolve("torrc"), torrc);
      startTor(d);
    }
  }

  private void exits() throws Exception {
    List<String> bandwidths = new ArrayList<>();
    bandwidths.add(Long.toString(System.currentTimeMillis() / 1000));
    int i = 0;
    for (String[] e : EXITS) {
      i++;
      Path d = dir("exit" + i);
      List<String> torrc = common(d);
      torrc.addAll(dirAuthorities);
      torrc.addAll(
          List.of(
              "Nickname exit" + e[1],
              "ORPort " + e[0] + ":" + (5020 + i),
              "Address " + e[0],
              "OutboundBindAddress " + e[0],
              "ExitRelay 1",
              "ExitPolicyRejectPrivate 0",
              "ExitPolicyRejectLocalInterfaces 0",
              // a policy for one private address is summarised as "reject all" in
              // microdescriptors, and clients then find no exit: accept the port on any address
              "ExitPolicy accept *:" + ECHO_PORT,
              "ExitPolicy reject *:*"));
      Files.write(d.resolve("torrc"), torrc);
      bandwidths.add("node_id=$" + fingerprint(d) + " bw=1000");
      startTor(d);
    }
    // read by the authorities at each vote (bandwidth-file-spec 1.0.0)
    Files.write(work.resolve("bandwidths"), bandwidths);
  }

  /** The relay fingerprint of the torrc in {@code d} ({@code tor --list-fingerprint}). */
  private static String fingerprint(Path d) throws Exception {
    Process fp =
        new ProcessBuilder(
                "tor",
                "--list-fingerprint",
                "--defaults-torrc",
                "/dev/null",
                "-f",
                d.resolve("torrc").toString())
            .redirectErrorStream(true)
            .redirectOutput(d.resolve("fingerprint.log").toFile())
            .start();
    if (!fp.waitFor(60, TimeUnit.SECONDS) || fp.exitValue() != 0) {
      throw new IllegalStateException(
          "tor --list-fingerprint failed; see " + d.resolve("fingerprint.log"));
    }
    return Files.readString(d.resolve("fingerprint")).strip().split(" ", 2)[1].replace(" ", "");
  }

  private void echo() throws IOException {
    spawn(
        work.resolve("echo.log"),
        "ip",
        "netns",
        "exec",
        ns,
        "/usr/bin/python3",
        "-c",
        "import http.server as h\n"
            + "class E(h.BaseHTTPRequestHandler):\n"
            + "  def do_GET(self):\n"
            + "    b=self.client_address[0].encode()\n"
            + "    self.send_response(200);self.send_header('Content-Length',str(len(b)))\n"
            + "    self.end_headers();self.wfile.write(b)\n"
            + "  def log_message(self,*a): pass\n"
            + "h.ThreadingHTTPServer(('"
            + ECHO
            + "',"
            + ECHO_PORT
            + "),E).serve_forever()\n");
  }

  private void writeExtra() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("# the private Tor network of " + getClass().getSimpleName());
    lines.add("TestingTorNetwork 1");
    lines.addAll(dirAuthorities);
    lines.add("GeoIPFile " + work.resolve("geoip"));
    lines.add("PathsNeededToBuildCircuits 0.25");
    Files.write(extraTorrc(), lines, StandardCharsets.UTF_8);
  }

  /**
   * Waits until the consensus that authority 0 serves lists all exits (clients can then build
   * circuits to them).
   */
  void awaitExitsInConsensus(Duration max) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + max.toNanos();
    Path consensus = work.resolve("auth0").resolve("cached-microdesc-consensus");
    while (System.nanoTime() < deadline) {
      if (Files.exists(consensus)) {
        String c = Files.readString(consensus);
        if (EXITS.stream().allMatch(e -> c.contains(" " + e[0] + " "))) {
          return;
        }
      }
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "a tor of the private network exited with " + p.exitValue() + "; see " + work);
        }
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the exits are not in the consensus after " + max);
  }

  /** The network's directory (torrcs, keys, logs). */
  Path work() {
    return work;
  }

  private Path dir(String name) throws IOException {
    Path d = work.resolve(name);
    Files.createDirectories(d);
    Files.setPosixFilePermissions(
        d, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    return d;
  }

  private void startTor(Path d) throws IOException {
    // ip netns exec execs tor, so the process is tor itself
    spawn(
        d.resolve("stdout.log"),
        "ip",
        "netns",
        "exec",
        ns,
        "tor",
        "--defaults-torrc",
        "/dev/null",
        "-f",
        d.resolve("torrc").toString());
  }

  private void spawn(Path log, String... cmd) throws IOException {
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    processes.add(p);
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (namespaceMade) {
      try {
        run("ip", "netns", "del", ns);
      } catch (Exception e) {
        System.err.println("could not delete namespace " + ns + ": " + e);
      }
    }
  }

  static long ipv4(String a) {
    long v = 0;
    for (String part : a.split("\\.")) {
      v = (v << 8) | Integer.parseInt(part);
    }
    return v;
  }
}
