package io.sluice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reverse-tunnel benchmark driver (JDK only, no dependencies; compiled by bench/tunnel/run.sh).
 * Starts three loopback targets in this JVM (a sink that reads and counts, a source that writes
 * 64 KiB chunks as fast as the connection takes them, an echo server that answers 64 bytes and
 * closes), then measures, one path after the other: direct, socat (one user-space hop), ssh -R
 * (a private sshd started by run.sh; default cipher and aes128-gcm@openssh.com) and a Sluice
 * tunnel (agent and mappings created through the API, the real agent jar as a child process).
 * Every loop is bounded in time; only 127.0.0.1 is contacted. See docs/benchmarks.md.
 *
 * <p>Arguments: {@code --quick}, {@code --server=URL}, {@code --user=}, {@code --password=},
 * {@code --agent-jar=PATH}, {@code --java=PATH} (for the agent), {@code --socat=PATH},
 * {@code --sshd-port=N --sshd-pid=N --ssh-key=PATH --ssh-user=NAME} (ssh is skipped without
 * them), {@code --ssh-note=TEXT}, {@code --only=direct,socat,ssh,ssh-aes128gcm,sluice},
 * {@code --thread-samples=N} (jcmd Thread.print of the Sluice server and agent during the
 * 1-stream Sluice cells, into out/logs), {@code --out=DIR}, {@code --command=TEXT}.
 */
public final class TunnelBench {

  static final InetAddress LOOP = InetAddress.getLoopbackAddress();
  static final int CHUNK = 64 * 1024;
  static final int ECHO_BYTES = 64;
  static final int[] STREAMS = {1, 8};
  static final int[] WORKERS = {1, 16};

  // options
  static boolean quick;
  static String server = "http://127.0.0.1:9080";
  static String user = "admin";
  static String password = System.getenv().getOrDefault("SLUICE_ADMIN_PASSWORD", "");
  static String agentJar = "/work/main/target/sluice-agent.jar";
  static String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  static String socat = "/usr/bin/socat";
  static int sshdPort;
  static long sshdPid;
  static String sshKey;
  static String sshUser = System.getProperty("user.name");
  static String sshNote = "";
  static List<String> only;
  static int threadSamples;
  static Path out = Path.of("bench/out");
  static String command = "bench/tunnel/run.sh";
  static double warmup = 1.0;
  static double duration = 5.0;

  static final long HZ = 100; // USER_HZ on Linux
  static final List<Process> CHILDREN = new ArrayList<>();
  static final List<String> NOTES = new ArrayList<>();

  /** A path to measure: where the client connects for each target, and whose CPU counts as the relay's. */
  record Path3(String name, String note, int sinkPort, int sourcePort, int echoPort, Map<String, Supplier<long[]>> cpu) {}

  /** One throughput measurement. */
  record Tp(double mbps, long bytes, double seconds, Map<String, Double> cpuSec, double other, int errors) {}

  /** One connection-rate measurement. */
  record Cr(double rate, double p50, double p99, long ops, int errors, Map<String, Double> cpuSec, double other, double seconds) {}

  static final Map<String, Map<String, Tp>> TP = new LinkedHashMap<>();
  static final Map<String, Map<String, Cr>> CR = new LinkedHashMap<>();

  public static void main(String[] args) throws Exception {
    for (String a : args) {
      String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : "";
      if (a.equals("--quick")) {
        quick = true;
      } else if (a.startsWith("--server=")) {
        server = v.replaceAll("/+$", "");
      } else if (a.startsWith("--user=")) {
        user = v;
      } else if (a.startsWith("--password=")) {
        password = v;
      } else if (a.startsWith("--agent-jar=")) {
        agentJar = v;
      } else if (a.startsWith("--java=")) {
        javaBin = v;
      } else if (a.startsWith("--socat=")) {
        socat = v;
      } else if (a.startsWith("--sshd-port=")) {
        sshdPort = Integer.parseInt(v);
      } else if (a.startsWith("--sshd-pid=")) {
        sshdPid = Long.parseLong(v);
      } else if (a.startsWith("--ssh-key=")) {
        sshKey = v;
      } else if (a.startsWith("--ssh-user=")) {
        sshUser = v;
      } else if (a.startsWith("--ssh-note=")) {
        sshNote = v;
      } else if (a.startsWith("--only=")) {
        only = Arrays.asList(v.split(","));
      } else if (a.startsWith("--thread-samples=")) {
        threadSamples = Integer.parseInt(v);
      } else if (a.startsWith("--out=")) {
        out = Path.of(v);
      } else if (a.startsWith("--command=")) {
        command = v;
      } else {
        System.err.println("unknown argument " + a);
        System.exit(2);
      }
    }
    if (quick) {
      warmup = 1.0;
      duration = 2.0;
    }
    Files.createDirectories(out.resolve("logs"));
    Runtime.getRuntime().addShutdownHook(new Thread(TunnelBench::cleanup));
    long started = System.nanoTime();

    Targets t = new Targets();
    t.start();

    List<Path3> paths = new ArrayList<>();
    paths.add(new Path3("direct", "client -> target, no relay", t.sinkPort(), t.sourcePort(), t.echoPort(), Map.of()));
    for (String name : List.of("direct", "socat", "socat2x64k", "ssh", "ssh-aes128gcm", "sluice", "sluice-direct")) {
      if (!want(name)) {
        continue;
      }
      Path3 p;
      try {
        p = switch (name) {
          case "direct" -> paths.get(0);
          case "socat" -> socat(t);
          case "socat2x64k" -> socatTwoHops(t);
          case "ssh" -> ssh(t, null);
          case "ssh-aes128gcm" -> ssh(t, "aes128-gcm@openssh.com");
          case "sluice" -> sluice(t, false);
          case "sluice-direct" -> sluice(t, true);
          default -> throw new IllegalStateException(name);
        };
      } catch (Exception e) {
        String msg = name + " skipped: " + e.getMessage();
        System.out.println("NOTE " + msg);
        NOTES.add(msg);
        stopChildren();
        continue;
      }
      if (p == null) {
        continue;
      }
      System.out.printf(Locale.ROOT, "== %s (%s)%n", p.name(), p.note());
      measure(p, t);
      stopChildren();
      if (name.startsWith("sluice")) {
        sluiceCleanup();
      }
    }
    double took = (System.nanoTime() - started) / 1e9;
    String report = report(took);
    System.out.println();
    System.out.println(report);
    Files.writeString(out.resolve("tunnel-results.md"), report);
    System.out.println("written to " + out.resolve("tunnel-results.md"));
    t.stop();
    System.exit(0);
  }

  static boolean want(String name) {
    return only == null || only.contains(name);
  }

  // ---------------------------------------------------------------------------------------------
  // measurements

  static final Map<String, String> PATH_NOTES = new LinkedHashMap<>();

  static void measure(Path3 p, Targets t) throws Exception {
    PATH_NOTES.put(p.name(), p.note());
    for (boolean up : new boolean[] {true, false}) {
      for (int n : STREAMS) {
        String cell = (up ? "up " : "down ") + n;
        boolean sample = threadSamples > 0 && p.name().equals("sluice") && n == 1;
        Tp r = throughput(p, t, up, n, sample ? cell.replace(' ', '-') : null);
        TP.computeIfAbsent(p.name(), k -> new LinkedHashMap<>()).put(cell, r);
        System.out.printf(Locale.ROOT, "  %-7s %9.0f MB/s  relay CPU %s  other %.0f%%%s%n", cell, r.mbps(),
            cpuText(r.cpuSec(), r.seconds()), r.other(), r.errors() > 0 ? "  errors " + r.errors() : "");
        settle(t);
      }
    }
    for (int w : WORKERS) {
      Cr r = connRate(p, w);
      CR.computeIfAbsent(p.name(), k -> new LinkedHashMap<>()).put(w + "w", r);
      System.out.printf(Locale.ROOT, "  conn %2dw %8.0f/s  p50 %.2f ms  p99 %.2f ms  relay CPU %s  other %.0f%%%s%n", w,
          r.rate(), r.p50(), r.p99(), cpuText(r.cpuSec(), r.seconds()), r.other(),
          r.errors() > 0 ? "  errors " + r.errors() : "");
      settle(t);
    }
  }

  /** Waits (at most 5 s) until the targets hold no connection, so cells do not overlap. */
  static void settle(Targets t) throws InterruptedException {
    long end = System.nanoTime() + 5_000_000_000L;
    while (t.active.get() > 0 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    Thread.sleep(200);
  }

  static Tp throughput(Path3 p, Targets t, boolean up, int streams, String sampleTag) throws Exception {
    int port = up ? p.sinkPort() : p.sourcePort();
    AtomicLong received = up ? t.sinkBytes : new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger errors = new AtomicInteger();
    List<Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < streams; i++) {
      Thread th = new Thread(() -> {
        byte[] buf = new byte[CHUNK];
        try (Socket s = new Socket()) {
          sockets.add(s);
          s.connect(new InetSocketAddress(LOOP, port), 5000);
          if (up) {
            OutputStream o = s.getOutputStream();
            while (!stop.get()) {
              o.write(buf);
            }
          } else {
            s.setSoTimeout(500);
            InputStream in = s.getInputStream();
            while (!stop.get()) {
              int n;
              try {
                n = in.read(buf);
              } catch (java.net.SocketTimeoutException e) {
                continue;
              }
              if (n < 0) {
                if (!stop.get()) {
                  errors.incrementAndGet();
                }
                return;
              }
              received.addAndGet(n);
            }
          }
        } catch (IOException e) {
          if (!stop.get()) {
            errors.incrementAndGet();
          }
        }
      }, "tp-client-" + i);
      th.setDaemon(true);
      threads.add(th);
      th.start();
    }
    Thread.sleep((long) (warmup * 1000));
    long b0 = received.get();
    Snap s0 = snap(p);
    long t0 = System.nanoTime();
    if (sampleTag != null) {
      sampleThreads(sampleTag, (long) (duration * 1000));
    } else {
      Thread.sleep((long) (duration * 1000));
    }
    long b1 = received.get();
    Snap s1 = snap(p);
    double secs = (System.nanoTime() - t0) / 1e9;
    stop.set(true);
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing
      }
    }
    for (Thread th : threads) {
      th.join(5000);
    }
    long bytes = b1 - b0;
    return new Tp(bytes / secs / 1e6, bytes, secs, s0.cpuDelta(s1), s0.other(s1, secs), errors.get());
  }

  static Cr connRate(Path3 p, int workers) throws Exception {
    long warmEnd = System.nanoTime() + (long) (warmup * 1e9);
    long end = warmEnd + (long) (duration * 1e9);
    AtomicInteger errors = new AtomicInteger();
    long[][] lat = new long[workers][];
    int[] count = new int[workers];
    long[] ops = new long[workers];
    Thread[] th = new Thread[workers];
    for (int w = 0; w < workers; w++) {
      final int id = w;
      lat[w] = new long[1 << 20];
      th[w] = new Thread(() -> {
        byte[] msg = new byte[ECHO_BYTES];
        Arrays.fill(msg, (byte) 'x');
        byte[] buf = new byte[ECHO_BYTES];
        InetSocketAddress addr = new InetSocketAddress(LOOP, p.echoPort());
        while (true) {
          long a = System.nanoTime();
          if (a >= end) {
            return;
          }
          boolean ok = true;
          try (Socket s = new Socket()) {
            s.connect(addr, 5000);
            s.setSoTimeout(5000);
            s.setTcpNoDelay(true);
            s.getOutputStream().write(msg);
            InputStream in = s.getInputStream();
            int got = 0;
            while (got < ECHO_BYTES) {
              int n = in.read(buf, got, ECHO_BYTES - got);
              if (n < 0) {
                break;
              }
              got += n;
            }
            // the echo target closes after 64 bytes: wait for that EOF (no TIME_WAIT piles up here)
            ok = got == ECHO_BYTES && in.read() < 0;
          } catch (IOException e) {
            ok = false;
          }
          long b = System.nanoTime();
          if (!ok) {
            if (a >= warmEnd) {
              errors.incrementAndGet();
            }
            try {
              Thread.sleep(10);
            } catch (InterruptedException e) {
              return;
            }
            continue;
          }
          if (a >= warmEnd && b <= end) {
            ops[id]++;
            if (count[id] < lat[id].length) {
              lat[id][count[id]++] = b - a;
            }
          }
        }
      }, "cr-client-" + w);
      th[w].setDaemon(true);
      th[w].start();
    }
    long now = System.nanoTime();
    if (warmEnd > now) {
      Thread.sleep((warmEnd - now) / 1_000_000);
    }
    Snap s0 = snap(p);
    long t0 = System.nanoTime();
    Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
    Snap s1 = snap(p);
    double secs = (System.nanoTime() - t0) / 1e9;
    for (Thread t : th) {
      t.join(10_000);
    }
    long total = 0;
    int n = 0;
    for (int w = 0; w < workers; w++) {
      total += ops[w];
      n += count[w];
    }
    long[] all = new long[n];
    int k = 0;
    for (int w = 0; w < workers; w++) {
      System.arraycopy(lat[w], 0, all, k, count[w]);
      k += count[w];
    }
    Arrays.sort(all);
    double p50 = n == 0 ? Double.NaN : all[(int) Math.min(n - 1, Math.floor(n * 0.50))] / 1e6;
    double p99 = n == 0 ? Double.NaN : all[(int) Math.min(n - 1, Math.floor(n * 0.99))] / 1e6;
    double span = duration; // ops counted are those started after warm-up and finished before the end
    return new Cr(total / span, p50, p99, total, errors.get(), s0.cpuDelta(s1), s0.other(s1, secs), secs);
  }

  // ---------------------------------------------------------------------------------------------
  // CPU accounting from /proc

  /** CPU ticks of the relay's components, this JVM, and the whole machine (busy), at one instant. */
  record Snap(Map<String, Long> parts, long self, long machine) {
    Map<String, Double> cpuDelta(Snap later) {
      Map<String, Double> m = new LinkedHashMap<>();
      for (var e : parts.entrySet()) {
        Long b = later.parts.get(e.getKey());
        if (b != null && e.getValue() >= 0 && b >= 0) {
          m.put(e.getKey(), (b - e.getValue()) / (double) HZ);
        }
      }
      return m;
    }

    /** CPU used by everything but this JVM and the relay, in % of one CPU. */
    double other(Snap later, double secs) {
      long relay = 0;
      for (var e : parts.entrySet()) {
        Long b = later.parts.get(e.getKey());
        if (b != null && e.getValue() >= 0 && b >= 0) {
          relay += b - e.getValue();
        }
      }
      long o = (later.machine - machine) - (later.self - self) - relay;
      return Math.max(0, o) / (double) HZ / secs * 100;
    }
  }

  static Snap snap(Path3 p) {
    Map<String, Long> parts = new LinkedHashMap<>();
    for (var e : p.cpu().entrySet()) {
      long[] pids = e.getValue().get();
      long sum = 0;
      for (long pid : pids) {
        long c = treeTicks(pid);
        if (c < 0) {
          sum = -1;
          break;
        }
        sum += c;
      }
      parts.put(e.getKey(), sum);
    }
    return new Snap(parts, ticks(ProcessHandle.current().pid(), false), machineBusy());
  }

  /** utime + stime (+ cutime + cstime of reaped children when {@code withChildren}), or -1. */
  static long ticks(long pid, boolean withChildren) {
    try {
      String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
      // f[0] = state (field 3); utime = field 14 -> f[11]
      long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
      if (withChildren) {
        t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
      }
      return t;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** A process and its live descendants, plus the children it has reaped (socat forks per connection). */
  static long treeTicks(long root) {
    long rootTicks = ticks(root, true);
    if (rootTicks < 0) {
      return -1;
    }
    long sum = rootTicks;
    List<Long> tree = new ArrayList<>(List.of(root));
    Map<Long, Long> parent = new LinkedHashMap<>();
    try (var ds = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path d : ds) {
        String n = d.getFileName().toString();
        if (!n.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String s = Files.readString(d.resolve("stat"));
          String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
          parent.put(Long.parseLong(n), Long.parseLong(f[1]));
        } catch (IOException | RuntimeException ignored) {
          // gone
        }
      }
    } catch (IOException e) {
      return sum;
    }
    for (int i = 0; i < tree.size(); i++) {
      long p = tree.get(i);
      for (var e : parent.entrySet()) {
        if (e.getValue() == p && !tree.contains(e.getKey())) {
          tree.add(e.getKey());
          long c = ticks(e.getKey(), false);
          if (c > 0) {
            sum += c;
          }
        }
      }
    }
    return sum;
  }

  static long machineBusy() {
    try {
      String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = line.trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal
      return Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
          + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static String cpuText(Map<String, Double> cpu, double secs) {
    if (cpu.isEmpty()) {
      return "-";
    }
    StringBuilder sb = new StringBuilder();
    double total = 0;
    for (var e : cpu.entrySet()) {
      total += e.getValue();
    }
    sb.append(String.format(Locale.ROOT, "%.0f%%", total / secs * 100));
    if (cpu.size() > 1) {
      sb.append(" (");
      String sep = "";
      for (var e : cpu.entrySet()) {
        sb.append(sep).append(e.getKey()).append(' ').append(String.format(Locale.ROOT, "%.0f%%", e.getValue() / secs * 100));
        sep = ", ";
      }
      sb.append(')');
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // paths

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, LOOP)) {
      return s.getLocalPort();
    }
  }

  static Process spawn(String name, List<String> cmd, Map<String, String> env) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.redirectErrorStream(true);
    pb.redirectOutput(out.resolve("logs").resolve(name + ".log").toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    if (env != null) {
      pb.environment().putAll(env);
    }
    Process p = pb.start();
    synchronized (CHILDREN) {
      CHILDREN.add(p);
    }
    return p;
  }

  static void stopChildren() {
    List<Process> ps;
    synchronized (CHILDREN) {
      ps = new ArrayList<>(CHILDREN);
      CHILDREN.clear();
    }
    for (Process p : ps) {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
    }
    for (Process p : ps) {
      try {
        if (!p.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits until a TCP connect to the port succeeds and, for an echo port, 64 bytes come back. */
  static void awaitEcho(int port, long timeoutMs, Process proc) throws Exception {
    long end = System.currentTimeMillis() + timeoutMs;
    String last = "";
    while (System.currentTimeMillis() < end) {
      if (proc != null && !proc.isAlive()) {
        throw new IOException("process exited with " + proc.exitValue());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(LOOP, port), 1000);
        s.setSoTimeout(2000);
        s.getOutputStream().write(new byte[ECHO_BYTES]);
        byte[] b = s.getInputStream().readNBytes(ECHO_BYTES);
        if (b.length == ECHO_BYTES) {
          return;
        }
        last = "short echo " + b.length;
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IOException("port " + port + " not relaying within " + timeoutMs + " ms: " + last);
  }

  static Path3 socat(Targets t) throws Exception {
    if (!Files.isExecutable(Path.of(socat))) {
      throw new IOException(socat + " not found");
    }
    int[] pub = {freePort(), freePort(), freePort()};
    int[] tgt = {t.sinkPort(), t.sourcePort(), t.echoPort()};
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ps.add(spawn("socat-" + i, List.of(socat, "TCP-LISTEN:" + pub[i] + ",fork,reuseaddr,bind=127.0.0.1",
          "TCP:127.0.0.1:" + tgt[i]), null));
    }
    awaitEcho(pub[2], 10_000, ps.get(2));
    long[] pids = ps.stream().mapToLong(Process::pid).toArray();
    String version = firstLine(List.of(socat, "-V"), "socat version");
    return new Path3("socat", "one user-space hop, fork per connection, default 8 KiB buffer; " + version,
        pub[0], pub[1], pub[2], Map.of("socat", () -> pids));
  }

  /**
   * Two socat hops in a row with 64 KiB buffers: the user-space work that any tunnel does at the
   * least (one relay on the server, one on the agent), without framing, flow control or
   * encryption. A ceiling for a two-hop relay on this machine, not a competitor.
   */
  static Path3 socatTwoHops(Targets t) throws Exception {
    if (!Files.isExecutable(Path.of(socat))) {
      throw new IOException(socat + " not found");
    }
    int[] pub = {freePort(), freePort(), freePort()};
    int[] mid = {freePort(), freePort(), freePort()};
    int[] tgt = {t.sinkPort(), t.sourcePort(), t.echoPort()};
    List<Process> ps = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ps.add(spawn("socat2-agent-" + i, List.of(socat, "-b", "65536", "TCP-LISTEN:" + mid[i]
          + ",fork,reuseaddr,bind=127.0.0.1", "TCP:127.0.0.1:" + tgt[i]), null));
      ps.add(spawn("socat2-server-" + i, List.of(socat, "-b", "65536", "TCP-LISTEN:" + pub[i]
          + ",fork,reuseaddr,bind=127.0.0.1", "TCP:127.0.0.1:" + mid[i]), null));
    }
    awaitEcho(pub[2], 10_000, ps.get(5));
    long[] server = {ps.get(1).pid(), ps.get(3).pid(), ps.get(5).pid()};
    long[] agent = {ps.get(0).pid(), ps.get(2).pid(), ps.get(4).pid()};
    String version = firstLine(List.of(socat, "-V"), "socat version");
    return new Path3("socat2x64k", "two socat hops in a row (server-side and agent-side relay), -b 65536, "
        + "fork per connection: the least any two-hop tunnel does; " + version,
        pub[0], pub[1], pub[2], Map.of("server hop", () -> server, "agent hop", () -> agent));
  }

  static Path3 ssh(Targets t, String cipher) throws Exception {
    if (sshdPort == 0 || sshKey == null) {
      return skip((cipher == null ? "ssh" : "ssh-aes128gcm") + " skipped: no sshd (" + (sshNote.isEmpty() ? "not set up" : sshNote) + ")");
    }
    int[] pub = {freePort(), freePort(), freePort()};
    int[] tgt = {t.sinkPort(), t.sourcePort(), t.echoPort()};
    List<String> base = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o",
        "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "LogLevel=ERROR",
        "-i", sshKey, "-p", String.valueOf(sshdPort)));
    if (cipher != null) {
      base.addAll(List.of("-c", cipher));
    }
    // negotiated cipher: a separate verbose probe (-v on the tunnel itself would log every channel)
    List<String> probe = new ArrayList<>(base);
    probe.set(probe.indexOf("LogLevel=ERROR"), "LogLevel=DEBUG1");
    probe.addAll(List.of(sshUser + "@127.0.0.1", "true"));
    String negotiated = firstMatch(probe, Pattern.compile("kex: server->client cipher: (\\S+)"));
    String version = firstLine(List.of("ssh", "-V"), "OpenSSH");
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of("-N", "-o", "ExitOnForwardFailure=yes", "-o", "ServerAliveInterval=0"));
    for (int i = 0; i < 3; i++) {
      cmd.addAll(List.of("-R", "127.0.0.1:" + pub[i] + ":127.0.0.1:" + tgt[i]));
    }
    cmd.add(sshUser + "@127.0.0.1");
    String name = cipher == null ? "ssh" : "ssh-aes128gcm";
    Process p = spawn(name, cmd, null);
    awaitEcho(pub[2], 15_000, p);
    long clientPid = p.pid();
    Map<String, Supplier<long[]>> cpu = new LinkedHashMap<>();
    cpu.put("sshd", () -> new long[] {sshdPid});
    cpu.put("ssh", () -> new long[] {clientPid});
    return new Path3(name, "ssh -R, cipher " + negotiated + (cipher == null ? " (default)" : " (-c)") + ", "
        + version + "; sshd = server side, ssh client = agent side", pub[0], pub[1], pub[2], cpu);
  }

  static Path3 skip(String msg) {
    System.out.println("NOTE " + msg);
    NOTES.add(msg);
    return null;
  }

  static String firstLine(List<String> cmd, String contains) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      for (String l : s.split("\n")) {
        if (l.contains(contains)) {
          return l.trim();
        }
      }
    } catch (IOException | InterruptedException e) {
      // unknown
    }
    return "?";
  }

  static String firstMatch(List<String> cmd, Pattern pattern) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      String s = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS);
      Matcher m = pattern.matcher(s);
      if (m.find()) {
        return m.group(1);
      }
      Files.writeString(out.resolve("logs").resolve("ssh-probe.log"), s);
    } catch (IOException | InterruptedException e) {
      // unknown
    }
    return "?";
  }

  // Sluice -----------------------------------------------------------------------------------------

  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  static String accessToken;
  static long agentId = -1;
  static final List<Long> MAPPINGS = new ArrayList<>();

  /**
   * @param direct the agent takes direct streams ({@code --direct always}: each stream over its own
   *     TCP connection to the server's data port, which the server must have configured) instead of
   *     WebSocket frames ({@code --direct off})
   */
  static Path3 sluice(Targets t, boolean direct) throws Exception {
    if (!Files.isReadable(Path.of(agentJar))) {
      throw new IOException(agentJar + " not found");
    }
    if (password.isEmpty()) {
      throw new IOException("no admin password (--password or SLUICE_ADMIN_PASSWORD)");
    }
    String name = "bench-tunnel-" + System.currentTimeMillis();
    String a = api("POST", "/api/v1/agents", "{\"name\":\"" + name + "\"}", 200, 201);
    agentId = Long.parseLong(field(a, "id"));
    String token = str(a, "token");
    int[] tgt = {t.sinkPort(), t.sourcePort(), t.echoPort()};
    int[] pub = new int[3];
    for (int i = 0; i < 3; i++) {
      String m = api("POST", "/api/v1/tunnels", "{\"agentId\":" + agentId + ",\"targetHost\":\"127.0.0.1\",\"targetPort\":"
          + tgt[i] + "}", 200, 201);
      MAPPINGS.add(Long.parseLong(field(m, "id")));
      pub[i] = Integer.parseInt(field(m, "publicPort"));
    }
    String allow = "127.0.0.1:" + tgt[0] + ",127.0.0.1:" + tgt[1] + ",127.0.0.1:" + tgt[2];
    String ws = server.replaceFirst("^http", "ws") + "/tunnel";
    Process agent = spawn("sluice-agent", List.of(javaBin, "-Xmx256m", "-jar", agentJar, "--server", ws, "--allow", allow,
        "--direct", direct ? "always" : "off"),
        Map.of("SLUICE_AGENT_TOKEN", token));
    awaitConnected(30_000, agent);
    awaitEcho(pub[2], 20_000, agent);
    long agentPid = agent.pid();
    Map<String, Supplier<long[]>> cpu = new LinkedHashMap<>();
    cpu.put("server", () -> new long[] {serverPid()});
    cpu.put("agent", () -> new long[] {agentPid});
    String sv = firstLine(List.of(javaBin, "-version"), "version");
    if (direct) {
      String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(server + "/metrics")).timeout(Duration.ofSeconds(15))
          .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString()).body();
      if (!metrics.contains("sluice_tunnel_direct_connections")) {
        throw new IOException("the server offers no direct streams (set SLUICE_TUNNEL_DIRECT_PORT)");
      }
    }
    return new Path3(direct ? "sluice-direct" : "sluice", "server " + server + " (public ports " + pub[0] + "-" + pub[2]
        + (direct ? ") <- direct data connections (one TCP connection per stream to the data port; OPEN over the WebSocket) <- agent jar ("
            : ") <- WebSocket frames <- agent jar (")
        + "-Xmx256m, " + sv + "); server CPU includes whatever else that JVM does", pub[0], pub[1], pub[2], cpu);
  }

  static volatile long serverPidCache = -1;

  /** The Sluice server JVM (pgrep -f ws-server), looked up again if it restarted. */
  static long serverPid() {
    long p = serverPidCache;
    if (p > 0 && ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)) {
      return p;
    }
    try {
      Process pg = new ProcessBuilder("pgrep", "-f", "ws-server").start();
      String s = new String(pg.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      pg.waitFor();
      for (String l : s.split("\\s+")) {
        if (l.isEmpty()) {
          continue;
        }
        long cand = Long.parseLong(l);
        String cmd = ProcessHandle.of(cand).flatMap(h -> h.info().command()).orElse("");
        if (cmd.endsWith("/java")) {
          serverPidCache = cand;
          return cand;
        }
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // unknown
    }
    return -1;
  }

  static void awaitConnected(long timeoutMs, Process agent) throws Exception {
    long end = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < end) {
      if (!agent.isAlive()) {
        throw new IOException("agent exited with " + agent.exitValue() + " (see " + out.resolve("logs/sluice-agent.log") + ")");
      }
      String s = api("GET", "/api/v1/agents/" + agentId, null, 200);
      if (s.matches("(?s).*\"connected\"\\s*:\\s*true.*")) {
        return;
      }
      Thread.sleep(250);
    }
    throw new IOException("agent " + agentId + " not connected within " + timeoutMs + " ms");
  }

  static void sluiceCleanup() {
    if (agentId < 0 && MAPPINGS.isEmpty()) {
      return;
    }
    for (Long m : new ArrayList<>(MAPPINGS)) {
      try {
        api("DELETE", "/api/v1/tunnels/" + m, null, 200, 204, 404);
        MAPPINGS.remove(m);
      } catch (Exception e) {
        System.err.println("could not delete mapping " + m + ": " + e.getMessage());
      }
    }
    if (agentId >= 0) {
      try {
        api("DELETE", "/api/v1/agents/" + agentId, null, 200, 204, 404);
        agentId = -1;
      } catch (Exception e) {
        System.err.println("could not delete agent " + agentId + ": " + e.getMessage());
      }
    }
  }

  static void login() throws Exception {
    String body = "{\"username\":\"" + json(user) + "\",\"password\":\"" + json(password) + "\"}";
    HttpResponse<String> r = send("POST", "/api/v1/auth/login", body, null);
    if (r.statusCode() != 200) {
      throw new IOException("login failed: HTTP " + r.statusCode());
    }
    accessToken = str(r.body(), "accessToken");
  }

  /** An API call; retried (about 60 s) while the server restarts; logs in again after a 401. */
  static String api(String method, String path, String body, int... ok) throws Exception {
    long end = System.currentTimeMillis() + 60_000;
    String last = "";
    while (true) {
      try {
        if (accessToken == null) {
          login();
        }
        HttpResponse<String> r = send(method, path, body, accessToken);
        for (int c : ok) {
          if (r.statusCode() == c) {
            return r.body();
          }
        }
        if (r.statusCode() == 401) {
          accessToken = null;
        }
        last = "HTTP " + r.statusCode() + " " + r.body().substring(0, Math.min(200, r.body().length()));
        if (r.statusCode() < 500 && r.statusCode() != 401) {
          throw new IOException(method + " " + path + ": " + last);
        }
      } catch (IOException e) {
        if (e.getMessage() != null && e.getMessage().startsWith(method + " " + path)) {
          throw e;
        }
        last = e.toString();
        accessToken = null;
      }
      if (System.currentTimeMillis() > end) {
        throw new IOException(method + " " + path + " failed: " + last);
      }
      Thread.sleep(1000);
    }
  }

  static HttpResponse<String> send(String method, String path, String body, String bearer) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(Duration.ofSeconds(15));
    b.header("Content-Type", "application/json").header("Accept", "application/json");
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String field(String json, String key) throws IOException {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(-?\\d+)").matcher(json);
    if (!m.find()) {
      throw new IOException("no " + key + " in " + json);
    }
    return m.group(1);
  }

  static String str(String json, String key) throws IOException {
    Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    if (!m.find()) {
      throw new IOException("no " + key + " in response");
    }
    return m.group(1);
  }

  static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** jcmd Thread.print of the Sluice server and the agent, spread over the measured window. */
  static void sampleThreads(String tag, long windowMs) throws InterruptedException {
    long end = System.currentTimeMillis() + windowMs;
    long step = windowMs / (threadSamples + 1);
    long agentPid = -1;
    synchronized (CHILDREN) {
      for (Process p : CHILDREN) {
        agentPid = p.pid();
      }
    }
    String jcmd = Path.of(Path.of(javaBin).getParent().toString(), "jcmd").toString();
    for (int i = 0; i < threadSamples; i++) {
      Thread.sleep(step);
      for (long[] pp : new long[][] {{serverPid(), 0}, {agentPid, 1}}) {
        if (pp[0] <= 0) {
          continue;
        }
        Path file = out.resolve("logs").resolve("threads-" + (pp[1] == 0 ? "server" : "agent") + "-" + tag + "-" + i + ".txt")
            .toAbsolutePath();
        try {
          // the agent's stream loops are virtual threads, which only Thread.dump_to_file shows
          List<String> cmd = pp[1] == 0 ? List.of(jcmd, String.valueOf(pp[0]), "Thread.print")
              : List.of(jcmd, String.valueOf(pp[0]), "Thread.dump_to_file", "-overwrite", "-format=text", file.toString());
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(pp[1] == 0 ? file.toFile() : file.resolveSibling(file.getFileName() + ".jcmd").toFile())
              .start().waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IOException e) {
          // no sample
        }
      }
    }
    long rest = end - System.currentTimeMillis();
    if (rest > 0) {
      Thread.sleep(rest);
    }
  }

  static void cleanup() {
    stopChildren();
    sluiceCleanup();
  }

  // ---------------------------------------------------------------------------------------------
  // report

  static String report(double took) {
    StringBuilder sb = new StringBuilder();
    String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC).format(Instant.now());
    String cpuModel = "?";
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          cpuModel = l.substring(l.indexOf(':') + 1).trim();
          break;
        }
      }
    } catch (IOException ignored) {
      // unknown
    }
    sb.append(String.format(Locale.ROOT, "%s, %d cores (%s), driver JDK %s %s, nothing pinned, run took %.0f s.%n%n",
        date, Runtime.getRuntime().availableProcessors(), cpuModel, System.getProperty("java.vm.vendor"),
        System.getProperty("java.version"), took));
    sb.append("Command: `").append(command).append("`").append("\n\n");
    sb.append(String.format(Locale.ROOT, "Throughput: %.0f s measured after %.0f s warm-up per cell, 64 KiB writes/reads, "
        + "MB = 10^6 bytes (up = client -> sink, counted at the sink; down = source -> client, counted at the client). "
        + "Connection rate: connect + 64-byte echo + close, %.0f s after %.0f s warm-up.%n%n", duration, warmup, duration, warmup));

    sb.append("Paths:\n\n");
    for (var e : PATH_NOTES.entrySet()) {
      sb.append("- **").append(e.getKey()).append("**: ").append(e.getValue()).append('\n');
    }
    sb.append('\n');

    List<String> cells = List.of("up 1", "up 8", "down 1", "down 8");
    Map<String, Tp> direct = TP.getOrDefault("direct", Map.of());
    sb.append("### Throughput (MB/s, % of direct)\n\n| path | up 1 | up 8 | down 1 | down 8 |\n|---|---:|---:|---:|---:|\n");
    for (var e : TP.entrySet()) {
      sb.append("| ").append(e.getKey());
      for (String c : cells) {
        Tp r = e.getValue().get(c);
        sb.append(" | ");
        if (r == null) {
          sb.append('-');
          continue;
        }
        sb.append(String.format(Locale.ROOT, "%.0f", r.mbps()));
        Tp d = direct.get(c);
        if (d != null && !e.getKey().equals("direct") && d.mbps() > 0) {
          sb.append(String.format(Locale.ROOT, " (%.0f%%)", r.mbps() / d.mbps() * 100));
        }
        if (r.errors() > 0) {
          sb.append(" err ").append(r.errors());
        }
      }
      sb.append(" |\n");
    }
    sb.append("\n### Relay CPU during the throughput cells\n\n% of one CPU, and CPU seconds per GB relayed "
        + "(server side + agent side; for ssh: sshd + ssh client). \"other\" = CPU used outside the driver and the relay "
        + "(the machine is shared), shown when >= 10%.\n\n| path | up 1 | up 8 | down 1 | down 8 |\n|---|---:|---:|---:|---:|\n");
    for (var e : TP.entrySet()) {
      if (e.getKey().equals("direct")) {
        continue;
      }
      sb.append("| ").append(e.getKey());
      for (String c : cells) {
        Tp r = e.getValue().get(c);
        sb.append(" | ");
        if (r == null) {
          sb.append('-');
          continue;
        }
        sb.append(cpuText(r.cpuSec(), r.seconds()));
        double total = r.cpuSec().values().stream().mapToDouble(Double::doubleValue).sum();
        double gb = r.bytes() / 1e9;
        if (gb > 0) {
          sb.append(String.format(Locale.ROOT, "; %.2f s/GB", total / gb));
          if (r.cpuSec().size() > 1) {
            sb.append(" (");
            String sep = "";
            for (var ce : r.cpuSec().entrySet()) {
              sb.append(sep).append(String.format(Locale.ROOT, "%s %.2f", ce.getKey(), ce.getValue() / gb));
              sep = " + ";
            }
            sb.append(')');
          }
        }
        if (r.other() >= 10) {
          sb.append(String.format(Locale.ROOT, " (other %.0f%%)", r.other()));
        }
      }
      sb.append(" |\n");
    }
    sb.append("\n### Direct-path interference (other CPU during direct cells)\n\n");
    for (String c : cells) {
      Tp r = direct.get(c);
      if (r != null) {
        sb.append(String.format(Locale.ROOT, "%s: other %.0f%%; ", c, r.other()));
      }
    }
    sb.append("\n\n### Connection rate (connect + 64-byte echo + close)\n\n"
        + "| path | conn/s 1w | p50 / p99 ms 1w | conn/s 16w | p50 / p99 ms 16w | relay CPU 16w | relay CPU µs/conn 16w |\n"
        + "|---|---:|---:|---:|---:|---:|---:|\n");
    for (var e : CR.entrySet()) {
      Cr a = e.getValue().get("1w");
      Cr b = e.getValue().get("16w");
      sb.append("| ").append(e.getKey());
      for (Cr r : new Cr[] {a, b}) {
        if (r == null) {
          sb.append(" | - | -");
          continue;
        }
        sb.append(String.format(Locale.ROOT, " | %.0f%s | %.2f / %.2f", r.rate(), r.errors() > 0 ? " err " + r.errors() : "",
            r.p50(), r.p99()));
      }
      if (b == null || b.cpuSec().isEmpty()) {
        sb.append(" | - | - |\n");
      } else {
        double total = b.cpuSec().values().stream().mapToDouble(Double::doubleValue).sum();
        sb.append(" | ").append(cpuText(b.cpuSec(), b.seconds()));
        if (b.other() >= 10) {
          sb.append(String.format(Locale.ROOT, " (other %.0f%%)", b.other()));
        }
        sb.append(String.format(Locale.ROOT, " | %.0f |%n", b.ops() == 0 ? Double.NaN : total * 1e6 / b.ops()));
      }
    }

    sb.append("\n### Target: single stream >= 50% of direct loopback throughput\n\n");
    for (String row : List.of("sluice", "sluice-direct")) {
    Map<String, Tp> sl = TP.get(row);
    if (sl == null) {
      continue;
    }
    for (String c : List.of("up 1", "down 1")) {
      Tp d = direct.get(c);
      Tp s = sl == null ? null : sl.get(c);
      if (d == null || s == null) {
        sb.append("- ").append(c).append(": not measured\n");
        continue;
      }
      double pct = s.mbps() / d.mbps() * 100;
      sb.append(String.format(Locale.ROOT, "- %s %s (%s): %.0f MB/s vs direct %.0f MB/s = %.0f%% -> %s%n", row, c,
          c.startsWith("up") ? "upload, client -> target" : "download, target -> client", s.mbps(), d.mbps(), pct,
          pct >= 50 ? "met" : "MISSED"));
    }
    }
    if (!NOTES.isEmpty()) {
      sb.append("\nNotes:\n\n");
      for (String n : NOTES) {
        sb.append("- ").append(n).append('\n');
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // targets

  /** Sink, source and echo servers on 127.0.0.1 ephemeral ports, thread (virtual for echo) per connection. */
  static final class Targets {
    final AtomicLong sinkBytes = new AtomicLong();
    final AtomicInteger active = new AtomicInteger();
    final AtomicBoolean stopped = new AtomicBoolean();
    ServerSocket sink;
    ServerSocket source;
    ServerSocket echo;
    final ExecutorService vthreads = Executors.newVirtualThreadPerTaskExecutor();

    int sinkPort() {
      return sink.getLocalPort();
    }

    int sourcePort() {
      return source.getLocalPort();
    }

    int echoPort() {
      return echo.getLocalPort();
    }

    void start() throws IOException {
      sink = new ServerSocket(0, 1024, LOOP);
      source = new ServerSocket(0, 1024, LOOP);
      echo = new ServerSocket(0, 4096, LOOP);
      acceptLoop(sink, s -> {
        byte[] buf = new byte[CHUNK];
        InputStream in = s.getInputStream();
        int n;
        while ((n = in.read(buf)) >= 0) {
          sinkBytes.addAndGet(n);
        }
      }, false);
      acceptLoop(source, s -> {
        byte[] buf = new byte[CHUNK];
        OutputStream o = s.getOutputStream();
        while (!stopped.get()) {
          o.write(buf);
        }
      }, false);
      acceptLoop(echo, s -> {
        byte[] buf = new byte[ECHO_BYTES];
        s.setTcpNoDelay(true);
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        int got = 0;
        while (got < ECHO_BYTES) {
          int n = in.read(buf, got, ECHO_BYTES - got);
          if (n < 0) {
            return;
          }
          got += n;
        }
        s.getOutputStream().write(buf);
        // closes first: the TIME_WAIT stays on this side, not with the relays' outgoing sockets
      }, true);
    }

    interface Handler {
      void handle(Socket s) throws IOException;
    }

    void acceptLoop(ServerSocket ss, Handler h, boolean virtual) {
      Thread t = new Thread(() -> {
        while (!stopped.get()) {
          Socket s;
          try {
            s = ss.accept();
          } catch (IOException e) {
            return;
          }
          active.incrementAndGet();
          Runnable r = () -> {
            try (s) {
              h.handle(s);
            } catch (IOException ignored) {
              // peer went away
            } finally {
              active.decrementAndGet();
            }
          };
          if (virtual) {
            vthreads.execute(r);
          } else {
            Thread c = new Thread(r, "target-conn");
            c.setDaemon(true);
            c.start();
          }
        }
      }, "accept-" + ss.getLocalPort());
      t.setDaemon(true);
      t.start();
    }

    void stop() {
      stopped.set(true);
      for (ServerSocket s : new ServerSocket[] {sink, source, echo}) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing
        }
      }
    }
  }
}
