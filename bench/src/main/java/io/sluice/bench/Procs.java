package io.sluice.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Child processes of the benchmark: the Sluice engine JVM and the reference proxies, each with a
 * minimal configuration in a temporary directory, bound to 127.0.0.1 only, run in the
 * foreground (never as services), pinned to CPU 0 with {@code taskset} when there are at least
 * two CPUs, and killed when the measurement (or the driver) ends.
 */
final class Procs {

  static Path WORK;
  /** JFR only for the load phases, not for the fresh process of the idle measurement. */
  static volatile boolean recordJfr = true;
  static Path LOGS;
  static final List<Process> LIVE = new CopyOnWriteArrayList<>();
  /** Engine JVM flags (see docs/benchmarks.md). */
  static final List<String> ENGINE_JVM = List.of("-Xms256m", "-Xmx256m", "-Xmn32m", "-XX:+UseSerialGC",
      "-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints");

  private Procs() {}

  static boolean pin() {
    return "1".equals(System.getenv("BENCH_PINNED"));
  }

  static String pinningNote() {
    return pin() ? "proxies on CPU 0 (taskset -c 0), load generator and targets on CPU 1 (taskset -c 1)"
        : "not pinned";
  }

  static Process launch(String name, List<String> command) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (pin()) {
      cmd.add("taskset");
      cmd.add("-c");
      cmd.add("0");
    }
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(LOGS.resolve(name + ".log").toFile());
    Process p = pb.start();
    LIVE.add(p);
    return p;
  }

  static Process sluice(Path dir, Path jfr) throws IOException {
    return sluice(dir, jfr, null);
  }

  /** The engine alone; {@code property} (e.g. {@code -Dbench.epoll=false}) picks another relay. */
  static Process sluice(Path dir, Path jfr, String property) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(ENGINE_JVM);
    if (property != null) {
      cmd.add(property);
    }
    String extra = System.getenv("BENCH_ENGINE_OPTS"); // experiments, e.g. -Dio.netty.allocator.type=pooled
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    if (jfr != null && recordJfr) {
      cmd.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true");
    }
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.sluice.bench.BenchEngine");
    cmd.add("21080");
    cmd.add("23128");
    cmd.add("127.0.0.1/32:" + Bench.SINK + "-" + Bench.ECHO_CLOSE);
    return launch("sluice", cmd);
  }

  static Process dante(Path dir) throws IOException {
    Path conf = dir.resolve("danted.conf");
    Files.writeString(conf, """
        logoutput: %s
        internal: 127.0.0.1 port = 21081
        external: 127.0.0.1
        clientmethod: none
        socksmethod: none
        user.privileged: root
        user.unprivileged: nobody
        client pass { from: 127.0.0.0/8 to: 0.0.0.0/0 }
        socks pass { from: 127.0.0.0/8 to: 127.0.0.1/32 port %d-%d command: connect }
        socks block { from: 0.0.0.0/0 to: 0.0.0.0/0 }
        """.formatted(dir.resolve("danted.log"), Bench.SINK, Bench.ECHO_CLOSE));
    return launch("dante", List.of("/usr/sbin/danted", "-f", conf.toString(), "-p", dir.resolve("danted.pid").toString()));
  }

  static Process microsocks(Path dir) throws IOException {
    return launch("microsocks", List.of("/usr/bin/microsocks", "-i", "127.0.0.1", "-p", "21082",
        "-u", Bench.USER, "-P", Bench.PASS));
  }

  static Process squid(Path dir) throws IOException, InterruptedException {
    Path passwd = dir.resolve("squid.passwd");
    Process h = new ProcessBuilder("openssl", "passwd", "-apr1", Bench.PASS).redirectErrorStream(true).start();
    String hash = new String(h.getInputStream().readAllBytes()).trim();
    h.waitFor();
    Files.writeString(passwd, Bench.USER + ":" + hash + "\n");
    passwd.toFile().setReadable(true, false);
    Path conf = dir.resolve("squid.conf");
    Files.writeString(conf, """
        http_port 127.0.0.1:23129
        pid_filename %1$s/squid.pid
        cache_log %1$s/squid-cache.log
        access_log none
        cache deny all
        cache_mem 8 MB
        coredump_dir %1$s
        max_filedescriptors 20000
        dns_nameservers 127.0.0.1
        shutdown_lifetime 1 second
        auth_param basic program /usr/lib/squid/basic_ncsa_auth %2$s
        auth_param basic children 2
        auth_param basic credentialsttl 2 hours
        acl targets dst 127.0.0.1/32
        acl target_ports port %3$d-%4$d
        acl CONNECT method CONNECT
        acl authed proxy_auth REQUIRED
        http_access deny !target_ports
        http_access deny !targets
        http_access allow CONNECT authed
        http_access deny all
        """.formatted(dir, passwd, Bench.SINK, Bench.ECHO_CLOSE));
    return launch("squid", List.of("/usr/sbin/squid", "-N", "-f", conf.toString()));
  }

  static Process tinyproxy(Path dir) throws IOException {
    Path conf = dir.resolve("tinyproxy.conf");
    Files.writeString(conf, """
        User nobody
        Group nogroup
        Port 23130
        Listen 127.0.0.1
        Timeout 600
        MaxClients 20000
        Allow 127.0.0.1
        BasicAuth %s %s
        ConnectPort %d
        ConnectPort %d
        ConnectPort %d
        ConnectPort %d
        LogLevel Error
        DisableViaHeader Yes
        PidFile "%s"
        """.formatted(Bench.USER, Bench.PASS, Bench.SINK, Bench.SOURCE, Bench.ECHO, Bench.ECHO_CLOSE,
        dir.resolve("tinyproxy.pid")));
    return launch("tinyproxy", List.of("/usr/bin/tinyproxy", "-d", "-c", conf.toString()));
  }

  static void awaitPort(Process p, int port, long millis) throws IOException, InterruptedException {
    long deadline = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("process exited with " + p.exitValue() + " (see bench/out/logs)");
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IOException("port " + port + " not listening after " + millis + " ms");
  }

  /** /proc/loadavg's three load averages (the machine is shared: recorded with every run). */
  static String loadavg() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /**
   * The JVM of a child: the child itself or (for the product server, started by a shell script)
   * its first descendant running java; null for other programs.
   */
  static ProcessHandle jvm(Process p) {
    if (p.info().command().orElse("").contains("java")) {
      return p.toHandle();
    }
    return p.descendants().filter(d -> d.info().command().orElse("").contains("java")).findFirst().orElse(null);
  }

  /** A full GC in a JVM child (jcmd GC.run); other processes are left alone. */
  static void gc(Process p) throws IOException, InterruptedException {
    ProcessHandle jvm = jvm(p);
    if (jvm == null) {
      return;
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process j = new ProcessBuilder(jcmd.toString(), String.valueOf(jvm.pid()), "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    j.waitFor(20, TimeUnit.SECONDS);
    Thread.sleep(500);
  }

  /** Saves the heap class histogram of a JVM child (evidence for the idle-memory numbers). */
  static void histogram(Process p, Path file) throws IOException, InterruptedException {
    ProcessHandle jvm = jvm(p);
    if (jvm == null) {
      return;
    }
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process j = new ProcessBuilder(jcmd.toString(), String.valueOf(jvm.pid()), "GC.class_histogram")
        .redirectErrorStream(true).redirectOutput(file.toFile()).start();
    j.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * Writes the live-heap growth per tunnel by class, from two class histograms; returns the total
   * growth per tunnel in bytes (0 without histograms).
   */
  static long histogramDiff(Path before, Path after, int tunnels, Path out) throws IOException {
    if (!Files.exists(before) || !Files.exists(after) || tunnels == 0) {
      return 0;
    }
    java.util.Map<String, long[]> a = parseHistogram(before);
    java.util.Map<String, long[]> b = parseHistogram(after);
    List<java.util.Map.Entry<String, long[]>> rows = new ArrayList<>();
    long total = 0;
    for (var e : b.entrySet()) {
      long[] old = a.getOrDefault(e.getKey(), new long[2]);
      long[] d = {e.getValue()[0] - old[0], e.getValue()[1] - old[1]};
      total += d[1];
      rows.add(java.util.Map.entry(e.getKey(), d));
    }
    rows.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
    StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT,
        "live heap growth: %d bytes per tunnel over %d tunnels%n%10s %10s  class%n", total / tunnels, tunnels,
        "B/tunnel", "obj/tunnel"));
    for (var e : rows.subList(0, Math.min(30, rows.size()))) {
      sb.append(String.format(java.util.Locale.ROOT, "%10.1f %10.2f  %s%n", e.getValue()[1] / (double) tunnels,
          e.getValue()[0] / (double) tunnels, e.getKey()));
    }
    Files.writeString(out, sb.toString());
    return total / tunnels;
  }

  private static java.util.Map<String, long[]> parseHistogram(Path file) throws IOException {
    java.util.Map<String, long[]> m = new java.util.HashMap<>();
    for (String line : Files.readAllLines(file)) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 4 && f[0].endsWith(":")) {
        try {
          m.put(f[3].replaceAll("[$][$]Lambda.*", "\\$\\$Lambda"), new long[] {Long.parseLong(f[1]), Long.parseLong(f[2])});
        } catch (NumberFormatException e) {
          // header
        }
      }
    }
    return m;
  }

  /** CPU time (user + system) of the process and its descendants, in clock ticks (1/100 s). */
  static long cpuTicks(Process p) {
    if (p == null) {
      return 0;
    }
    long sum = ticks(p.pid(), true);
    for (ProcessHandle d : p.descendants().toList()) {
      sum += ticks(d.pid(), false);
    }
    return sum;
  }

  /** CPU ticks of this JVM (load generator and targets). */
  static long selfTicks() {
    return ticks(ProcessHandle.current().pid(), false);
  }

  /**
   * Ticks the whole machine (all CPUs) spent running processes (user, nice, system, steal from
   * /proc/stat). Interrupt and softirq time are left out: the loopback traffic of the benchmark
   * itself is largely processed there, and it is attributed to no process.
   */
  static long machineBusyTicks() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[8]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /**
   * utime + stime (fields 14, 15), and for the top process also cutime + cstime (16, 17): the
   * children it has reaped (dante's short-lived helpers) are counted too.
   */
  private static long ticks(long pid, boolean withReaped) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      if (withReaped) {
        t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
      }
      return t;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** VmRSS of the process and all its descendants, in KiB. */
  static long rssKb(Process p) {
    long sum = rss(p.pid());
    for (ProcessHandle d : p.descendants().toList()) {
      sum += rss(d.pid());
    }
    return sum;
  }

  /**
   * Proportional set size of the process and its descendants, in KiB (smaps_rollup): shared
   * pages are divided among the processes sharing them, so a forking server (dante) is not
   * counted once per child.
   */
  static long pssKb(Process p) {
    long sum = pss(p.pid());
    for (ProcessHandle d : p.descendants().toList()) {
      sum += pss(d.pid());
    }
    return sum;
  }

  private static long pss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
        if (line.startsWith("Pss:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone
    }
    return 0;
  }

  private static long rss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone
    }
    return 0;
  }

  static void stop(Process p) {
    stop(p, 5);
  }

  static void stop(Process p, int graceSeconds) {
    List<ProcessHandle> kids = p.descendants().toList();
    p.destroy(); // SIGTERM: the engine JVM dumps its JFR recording; squid/dante shut down
    try {
      if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle k : kids) {
      if (k.isAlive()) {
        k.destroyForcibly();
      }
    }
    LIVE.remove(p);
  }

  static void killAll() {
    for (Process p : LIVE) {
      for (ProcessHandle k : p.descendants().toList()) {
        k.destroyForcibly();
      }
      p.destroyForcibly();
    }
    LIVE.clear();
  }
}
