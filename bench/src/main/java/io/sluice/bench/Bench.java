package io.sluice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark driver: starts the loopback targets in this JVM, then for each proxy in turn starts
 * it as a child process (pinned to CPU 0 with taskset where possible), runs throughput,
 * connection-rate and idle-capacity measurements through it, and stops it. Prints markdown
 * tables and writes them to {@code bench/out/}. Every loop is bounded in time; nothing but
 * 127.0.0.1 is ever contacted. See docs/benchmarks.md.
 *
 * <p>Arguments: {@code --quick}, {@code --only=name,name},
 * {@code --modes=throughput,connrate,connrate-client,idle},
 * {@code --jfr} (record the Sluice
 * JVM with JFR into bench/out/), {@code --out=DIR}, {@code --warmup=SECONDS} (before every cell),
 * {@code --connwarmup=SECONDS} (connections before each proxy's connection-rate cells, see
 * {@link Settings}),
 * {@code --product=bench/product-server.sh} (the product mode, see {@link Product}).
 */
public final class Bench {

  /** First of the four target ports; BENCH_TARGETS moves them (two benchmarks on one machine). */
  static final int SINK = Integer.parseInt(System.getenv().getOrDefault("BENCH_TARGETS", "25001"));
  static final int SOURCE = SINK + 1;
  static final int ECHO = SINK + 2;
  static final int ECHO_CLOSE = SINK + 3;
  static final String USER = "bench";
  static final String PASS = "bench";
  /** The password the product server generated for its proxy user {@code bench} (--product). */
  static volatile String productPass;
  static volatile byte[] productBasic;

  enum Kind { DIRECT, SOCKS5, HTTP }

  /**
   * One thing to measure through; {@code start} launches its process (null for direct and for the
   * product, which the driver starts once for both of its rows).
   */
  record Proxy(String name, Kind kind, int port, boolean auth, ProcessStarter start, String note,
      boolean product) {
    Proxy(String name, Kind kind, int port, boolean auth, ProcessStarter start, String note) {
      this(name, kind, port, auth, start, note, false);
    }
  }

  interface ProcessStarter {
    Process start(Path dir) throws Exception;
  }

  /**
   * {@code connWarmup}: seconds of connections (32 workers, the close order of the first cell; in
   * rounds of half of it until two rounds agree within 10 %, at most 3x) through
   * every proxy before its connection-rate cells, not measured: a JVM proxy compiles its
   * per-connection code with C2 on the proxy's own CPU during the first seconds of load, and
   * without this the first cells measured the compiler as much as the proxy.
   */
  record Settings(double warmup, double duration, int[] streams, int[] workers, int[] idleSizes, double idleDeadline,
      double connWarmup) {}

  static final Settings FULL = new Settings(1.0, 5.0, new int[] {1, 8, 64}, new int[] {1, 32},
      new int[] {5000, 9000}, 60, 10);
  static final Settings QUICK = new Settings(0.5, 2.0, new int[] {1, 64}, new int[] {1, 32},
      new int[] {2000}, 30, 6);

  // results[proxy][metric] = text
  /**
   * Which measurements to run (all by default): throughput, connrate (the target closes first),
   * connrate-client (the client closes first), idle.
   */
  static List<String> MODES = List.of("throughput", "connrate", "connrate-client", "idle");
  /** CPU used by processes outside the benchmark during each measured cell (% of one CPU). */
  static final List<Double> FOREIGN = new java.util.concurrent.CopyOnWriteArrayList<>();
  static final Map<String, Map<String, String>> RESULTS = new LinkedHashMap<>();
  static final Map<String, Map<String, Double>> NUM = new LinkedHashMap<>();
  /** /proc/loadavg at the start of the run (the machine is shared). */
  static String LOAD_START = "";

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    boolean jfr = false;
    Double warmup = null;
    Double connWarmup = null;
    String product = null;
    List<String> only = null;
    Path out = Path.of("bench/out");
    for (String a : args) {
      if (a.equals("--quick")) {
        quick = true;
      } else if (a.equals("--jfr")) {
        jfr = true;
      } else if (a.startsWith("--only=")) {
        only = Arrays.asList(a.substring(7).split(","));
      } else if (a.startsWith("--modes=")) {
        MODES = Arrays.asList(a.substring(8).split(","));
      } else if (a.startsWith("--warmup=")) {
        warmup = Double.parseDouble(a.substring(9));
      } else if (a.startsWith("--connwarmup=")) {
        connWarmup = Double.parseDouble(a.substring(13));
      } else if (a.startsWith("--product=")) {
        product = a.substring(10);
      } else if (a.startsWith("--out=")) {
        out = Path.of(a.substring(6));
      } else {
        throw new IllegalArgumentException("unknown argument " + a);
      }
    }
    Settings s = quick ? QUICK : FULL;
    if (warmup != null) {
      s = new Settings(warmup, s.duration(), s.streams(), s.workers(), s.idleSizes(), s.idleDeadline(), s.connWarmup());
    }
    if (connWarmup != null) {
      s = new Settings(s.warmup(), s.duration(), s.streams(), s.workers(), s.idleSizes(), s.idleDeadline(), connWarmup);
    }
    Files.createDirectories(out);
    Path work = Files.createTempDirectory("sluice-bench-");
    work.toFile().setWritable(true, false);
    work.toFile().setExecutable(true, false);
    Procs.WORK = work;
    Procs.LOGS = out.resolve("logs");
    Files.createDirectories(Procs.LOGS);
    Runtime.getRuntime().addShutdownHook(new Thread(Procs::killAll));

    List<Proxy> proxies = product != null ? Product.proxies(jfr, out.toAbsolutePath())
        : proxies(jfr, out.toAbsolutePath());
    LOAD_START = Procs.loadavg();
    long t0 = System.nanoTime();
    try (Targets targets = new Targets(SINK, SOURCE, ECHO, ECHO_CLOSE)) {
      List<Proxy> selected = new ArrayList<>();
      for (Proxy p : proxies) {
        if (only == null ? !p.name().matches(".*-(nio|copy)") : only.contains(p.name())) {
          selected.add(p);
        }
      }
      Product server = product == null ? null : new Product(Path.of(product), out.toAbsolutePath(), jfr);
      try {
        for (int i = 0; i < selected.size(); i++) {
          Proxy p = selected.get(i);
          Process proc = null;
          if (p.product()) {
            proc = server.start();
          }
          runProxy(p, s, proc);
          boolean moreProduct = selected.subList(i + 1, selected.size()).stream().anyMatch(Proxy::product);
          if (p.product() && !moreProduct) {
            server.stop(); // releases the Liberty lock before the references run
          }
        }
      } finally {
        if (server != null) {
          server.stop();
        }
      }
    } finally {
      Procs.killAll();
    }
    String report = report(s, quick, proxies, (System.nanoTime() - t0) / 1e9);
    System.out.println();
    System.out.println(report);
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    Path file = out.resolve("results-" + stamp + (quick ? "-quick" : "") + ".md");
    Files.writeString(file, report);
    System.out.println("written to " + file);
    System.exit(0);
  }

  static List<Proxy> proxies(boolean jfr, Path out) {
    List<Proxy> list = new ArrayList<>();
    list.add(new Proxy("direct", Kind.DIRECT, 0, false, null, "no proxy: the physical limit"));
    list.add(new Proxy("sluice-socks5", Kind.SOCKS5, 21080, true,
        dir -> Procs.sluice(dir, jfr ? out.resolve("sluice-socks5.jfr") : null), "user/password"));
    list.add(new Proxy("dante", Kind.SOCKS5, 21081, false, Procs::dante,
        "no auth (dante's username method needs system accounts)"));
    list.add(new Proxy("microsocks", Kind.SOCKS5, 21082, true, Procs::microsocks, "user/password"));
    list.add(new Proxy("sluice-http", Kind.HTTP, 23128, true,
        dir -> Procs.sluice(dir, jfr ? out.resolve("sluice-http.jfr") : null), "Basic"));
    // the engine on NIO (-nio) and on epoll without splice (-copy), run only when named in --only
    for (String v : new String[] {"nio", "copy"}) {
      String flag = v.equals("nio") ? "-Dbench.epoll=false" : "-Dbench.splice=false";
      list.add(new Proxy("sluice-socks5-" + v, Kind.SOCKS5, 21080, true,
          dir -> Procs.sluice(dir, null, flag), "user/password; " + v));
      list.add(new Proxy("sluice-http-" + v, Kind.HTTP, 23128, true,
          dir -> Procs.sluice(dir, null, flag), "Basic; " + v));
    }
    list.add(new Proxy("squid", Kind.HTTP, 23129, true, Procs::squid, "Basic (basic_ncsa_auth)"));
    list.add(new Proxy("tinyproxy", Kind.HTTP, 23130, true, Procs::tinyproxy, "BasicAuth"));
    return list;
  }

  static void runProxy(Proxy p, Settings s, Process running) {
    Map<String, String> r = RESULTS.computeIfAbsent(p.name(), k -> new LinkedHashMap<>());
    Map<String, Double> n = NUM.computeIfAbsent(p.name(), k -> new LinkedHashMap<>());
    Process proc = running;
    r.put("load", Procs.loadavg());
    try {
      if (p.start() != null) {
        System.out.printf("== %s: starting%n", p.name());
        proc = p.start().start(Procs.WORK);
        Procs.awaitPort(proc, p.port(), 20_000);
        Thread.sleep(300);
      }
      // sanity: one echo round trip
      try (Socket sock = open(p, ECHO)) {
        echoOnce(sock);
      }
      for (String dir : MODES.contains("throughput") ? new String[] {"up", "down"} : new String[0]) {
        for (int streams : s.streams()) {
          String key = dir + streams;
          try {
            double[] res = throughput(p, proc, dir.equals("up"), streams, s);
            n.put(key, res[0]);
            n.put("cpu" + key, res[1]);
            r.put(key, String.format(Locale.ROOT, "%.0f", res[0]));
            r.put("cpu" + key, String.format(Locale.ROOT, "%.0f%%", res[1])
                + (res[2] >= 10 ? String.format(Locale.ROOT, " (other %.0f%%)", res[2]) : ""));
          } catch (Exception e) {
            r.put(key, "error");
            System.out.printf("   %s %s: %s%n", p.name(), key, e);
          }
          System.out.printf("   %-14s %-7s %s MB/s, proxy CPU %s%n", p.name(), key, r.get(key),
              r.getOrDefault("cpu" + key, "-"));
          settle();
        }
      }
      double idleCpu = 0;
      if (proc != null && (MODES.contains("connrate") || MODES.contains("connrate-client"))) {
        // what the proxy burns with no traffic (the product's scheduled jobs: cluster poll,
        // alert evaluation, usage flush), subtracted for the net CPU per connection
        long i0 = Procs.cpuTicks(proc);
        Thread.sleep(3000);
        idleCpu = (Procs.cpuTicks(proc) - i0) / 3.0;
        n.put("idlecpu", idleCpu);
        r.put("idlecpu", String.format(Locale.ROOT, "%.1f%%", idleCpu));
      }
      if ((MODES.contains("connrate") || MODES.contains("connrate-client")) && s.connWarmup() > 0) {
        // the target closes first, as in the first cells: a client-first warm-up leaves a minute
        // of TIME_WAIT on the proxy's outgoing ports, and dante, which binds its outgoing
        // sockets before connecting, then fails its CONNECTs with REP 3 (session 8)
        boolean clientFirst = !MODES.contains("connrate");
        // in rounds of half the warm-up, until two rounds in a row differ by less than 10 % (the
        // JIT has settled; the product's first row still compiled after 10 s in session 9), at
        // most three times the warm-up
        Settings w = new Settings(0, s.connWarmup() / 2, s.streams(), s.workers(), s.idleSizes(), s.idleDeadline(), 0);
        List<String> rounds = new ArrayList<>();
        double last = -1;
        long errors = 0;
        for (int i = 0; i < 6; i++) {
          ConnRate a = connRate(p, proc, 32, w, clientFirst);
          rounds.add(String.format(Locale.ROOT, "%.0f", a.perSecond()));
          errors += a.errors();
          boolean steady = last > 0 && Math.abs(a.perSecond() - last) < 0.1 * last;
          last = a.perSecond();
          if (steady) {
            break;
          }
        }
        System.out.printf("   %-14s connection warm-up %d x %.0f s: %s conn/s, %d errors (not measured)%n", p.name(),
            rounds.size(), s.connWarmup() / 2, String.join(", ", rounds), errors);
        settle();
      }
      if (MODES.contains("connrate")) {
        connRateCells(p, proc, s, r, n, idleCpu, false);
      }
      if (MODES.contains("connrate-client")) {
        connRateCells(p, proc, s, r, n, idleCpu, true);
      }
      if (proc != null && MODES.contains("idle")) {
        if (!p.product()) {
          // idle capacity in a fresh process, so that buffers and heap grown by the load above
          // do not hide (or, when given back, distort) the memory the tunnels take; the product
          // server (a minute to start on one CPU, under the shared Liberty lock) is measured in
          // the same process after its load
          Procs.stop(proc);
          settle();
          Procs.recordJfr = false;
          proc = p.start().start(Procs.WORK);
          Procs.recordJfr = true;
          Procs.awaitPort(proc, p.port(), 20_000);
        }
        idle(p, proc, s, r, n);
      }
    } catch (Exception e) {
      System.out.printf("   %s failed: %s%n", p.name(), e);
      r.put("error", String.valueOf(e));
    } finally {
      if (proc != null && !p.product()) {
        Procs.stop(proc);
      }
      settle();
    }
  }

  /**
   * The connection-rate cells of one proxy; {@code clientFirst} stores them under keys prefixed
   * with {@code c} (the report's second connection-rate table).
   */
  static void connRateCells(Proxy p, Process proc, Settings s, Map<String, String> r,
      Map<String, Double> n, double idleCpu, boolean clientFirst) throws InterruptedException {
    String x = clientFirst ? "c" : "";
    for (int w : s.workers()) {
      ConnRate c = connRate(p, proc, w, s, clientFirst);
      n.put(x + "cps" + w, c.perSecond);
      n.put(x + "p99_" + w, c.p99);
      if (proc != null && c.perSecond > 0) {
        n.put(x + "cpuus" + w, c.cpu / 100 * 1e6 / c.perSecond);
        n.put(x + "netus" + w, Math.max(0, c.cpu - idleCpu) / 100 * 1e6 / c.perSecond);
      }
      r.put(x + "cps" + w, String.format(Locale.ROOT, "%.0f", c.perSecond) + (c.errors > 0 ? " (" + c.errors + " err)" : ""));
      r.put(x + "lat" + w, String.format(Locale.ROOT, "%.2f / %.2f", c.p50, c.p99));
      r.put(x + "cpuconn" + w, proc == null ? "-" : String.format(Locale.ROOT, "%.0f%% (%.0f us/conn, net %.0f)", c.cpu,
          c.perSecond > 0 ? c.cpu / 100 * 1e6 / c.perSecond : Double.NaN,
          c.perSecond > 0 ? Math.max(0, c.cpu - idleCpu) / 100 * 1e6 / c.perSecond : Double.NaN)
          + (FOREIGN.get(FOREIGN.size() - 1) >= 10
              ? String.format(Locale.ROOT, " (other %.0f%%)", FOREIGN.get(FOREIGN.size() - 1)) : ""));
      System.out.printf("   %-14s conn%s w=%-3d %s conn/s, p50/p99 %s ms, proxy CPU %s%n", p.name(), clientFirst ? " (client closes)" : "", w,
          r.get(x + "cps" + w), r.get(x + "lat" + w), r.get(x + "cpuconn" + w));
      settle();
    }
  }

  static void settle() {
    try {
      Thread.sleep(400);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ------------------------------------------------------------------------------ dialing

  static final byte[] BASIC = ("Proxy-Authorization: Basic "
      + java.util.Base64.getEncoder().encodeToString((USER + ":" + PASS).getBytes(StandardCharsets.US_ASCII))
      + "\r\n").getBytes(StandardCharsets.US_ASCII);

  /** A connection to 127.0.0.1:{@code targetPort}, through the proxy, ready for payload. */
  static Socket open(Proxy p, int targetPort) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress("127.0.0.1", p.kind() == Kind.DIRECT ? targetPort : p.port()), 5000);
    s.setSoTimeout(10_000);
    try {
      switch (p.kind()) {
        case DIRECT -> { }
        case SOCKS5 -> socks5(s, p.auth(), targetPort, p.product() ? productPass : PASS);
        case HTTP -> httpConnect(s, p.auth(), targetPort, p.product() ? productBasic : BASIC);
      }
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private static void socks5(Socket s, boolean auth, int port, String pass) throws IOException {
    OutputStream o = s.getOutputStream();
    InputStream in = s.getInputStream();
    o.write(new byte[] {5, 1, (byte) (auth ? 2 : 0)});
    byte[] two = readN(in, 2);
    if (two[0] != 5 || two[1] != (auth ? 2 : 0)) {
      throw new IOException("method reply " + Arrays.toString(two));
    }
    if (auth) {
      byte[] u = USER.getBytes(StandardCharsets.US_ASCII);
      byte[] pw = pass.getBytes(StandardCharsets.US_ASCII);
      byte[] m = new byte[3 + u.length + pw.length];
      m[0] = 1;
      m[1] = (byte) u.length;
      System.arraycopy(u, 0, m, 2, u.length);
      m[2 + u.length] = (byte) pw.length;
      System.arraycopy(pw, 0, m, 3 + u.length, pw.length);
      o.write(m);
      two = readN(in, 2);
      if (two[1] != 0) {
        throw new IOException("auth status " + two[1]);
      }
    }
    o.write(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, (byte) (port >> 8), (byte) port});
    byte[] head = readN(in, 4);
    if (head[1] != 0) {
      throw new IOException("SOCKS5 REP " + head[1]);
    }
    int rest = switch (head[3]) {
      case 1 -> 4 + 2;
      case 4 -> 16 + 2;
      case 3 -> (readN(in, 1)[0] & 0xFF) + 2;
      default -> throw new IOException("ATYP " + head[3]);
    };
    readN(in, rest);
  }

  static byte[] basic(String user, String pass) {
    return ("Proxy-Authorization: Basic "
        + java.util.Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.US_ASCII))
        + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static void httpConnect(Socket s, boolean auth, int port, byte[] basic) throws IOException {
    String target = "127.0.0.1:" + port;
    byte[] head = ("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n").getBytes(StandardCharsets.US_ASCII);
    OutputStream o = s.getOutputStream();
    byte[] all = new byte[head.length + (auth ? basic.length : 0) + 2];
    System.arraycopy(head, 0, all, 0, head.length);
    if (auth) {
      System.arraycopy(basic, 0, all, head.length, basic.length);
    }
    all[all.length - 2] = '\r';
    all[all.length - 1] = '\n';
    o.write(all);
    InputStream in = s.getInputStream();
    byte[] buf = new byte[1024];
    int n = 0;
    while (true) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        throw new IOException("proxy closed: " + new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      n += r;
      String sofar = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
      int end = sofar.indexOf("\r\n\r\n");
      if (end >= 0) {
        if (!sofar.startsWith("HTTP/1.1 200") && !sofar.startsWith("HTTP/1.0 200")) {
          throw new IOException("CONNECT answered " + sofar.lines().findFirst().orElse(""));
        }
        return; // bytes after the head (source data) are dropped: negligible
      }
      if (n == buf.length) {
        throw new IOException("response head too long");
      }
    }
  }

  static byte[] readN(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new IOException("EOF after " + b.length + " of " + n + " bytes");
    }
    return b;
  }

  static final byte[] PING = new byte[64];

  static {
    for (int i = 0; i < PING.length; i++) {
      PING[i] = (byte) ('a' + i % 26);
    }
  }

  static void echoOnce(Socket s) throws IOException {
    s.getOutputStream().write(PING);
    byte[] back = readN(s.getInputStream(), PING.length);
    if (!Arrays.equals(back, PING)) {
      throw new IOException("echo mismatch");
    }
  }

  // --------------------------------------------------------------------------- throughput

  /**
   * MB/s (10^6 bytes) summed over {@code streams} connections, one direction, and the proxy's
   * CPU use meanwhile (% of one CPU).
   */
  static double[] throughput(Proxy p, Process proc, boolean up, int streams, Settings s) throws Exception {
    List<Socket> socks = new ArrayList<>();
    AtomicLong bytes = new AtomicLong();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    try {
      for (int i = 0; i < streams; i++) {
        socks.add(open(p, up ? SINK : SOURCE));
      }
      for (Socket sock : socks) {
        sock.setSoTimeout(0);
        Thread t = Thread.ofPlatform().daemon().name("stream").start(() -> {
          byte[] buf = new byte[Targets.CHUNK];
          try {
            if (up) {
              OutputStream o = sock.getOutputStream();
              while (!stop.get()) {
                o.write(buf);
                bytes.addAndGet(buf.length);
              }
            } else {
              InputStream in = sock.getInputStream();
              int r;
              while (!stop.get() && (r = in.read(buf)) >= 0) {
                bytes.addAndGet(r);
              }
            }
          } catch (IOException e) {
            if (!stop.get()) {
              System.out.println("   stream error: " + e);
            }
          }
        });
        threads.add(t);
      }
      Thread.sleep((long) (s.warmup() * 1000));
      long b0 = bytes.get();
      long c0 = Procs.cpuTicks(proc);
      long f0 = Procs.machineBusyTicks() - Procs.selfTicks();
      long t0 = System.nanoTime();
      Thread.sleep((long) (s.duration() * 1000));
      long b1 = bytes.get();
      long c1 = Procs.cpuTicks(proc);
      long f1 = Procs.machineBusyTicks() - Procs.selfTicks();
      long t1 = System.nanoTime();
      double secs = (t1 - t0) / 1e9;
      double foreign = Math.max(0, (f1 - f0) - (c1 - c0)) / 100.0 / secs * 100;
      FOREIGN.add(foreign);
      return new double[] {(b1 - b0) / secs / 1e6, (c1 - c0) / 100.0 / secs * 100, foreign};
    } finally {
      stop.set(true);
      for (Socket sock : socks) {
        try {
          sock.close();
        } catch (IOException ignored) {
          // closing
        }
      }
      for (Thread t : threads) {
        t.join(2000);
      }
    }
  }

  // ---------------------------------------------------------------------- connection rate

  record ConnRate(double perSecond, double p50, double p99, long errors, double cpu) {}

  /**
   * {@code workers} threads each loop: connect to the proxy, handshake, CONNECT to the echo
   * server, send 64 bytes, read them back, close. The echo server closes its side after the 64
   * bytes, so the proxies' outgoing connections end passively (no TIME_WAIT piling up on their
   * ephemeral ports: dante binds its outgoing sockets explicitly and runs out of them otherwise). Ops started after the warm-up are counted.
   *
   * <p>With {@code clientFirst} the client closes first instead: the echo server stays open, and
   * after the echo the client shuts its output and reads until the proxy closes the connection
   * (the proxy passes the close on to the target, which closes, and the proxy closes back), so
   * the time of each op includes the proxy's teardown. The proxy's outgoing connections then end
   * actively (TIME_WAIT on its side; loopback reuses those ports with {@code tcp_tw_reuse=2}).
   */
  static ConnRate connRate(Proxy p, Process proc, int workers, Settings s, boolean clientFirst)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + (long) (s.warmup() * 1e9);
    long end = measureFrom + (long) (s.duration() * 1e9);
    AtomicLong errors = new AtomicLong();
    List<long[]> lats = new ArrayList<>();
    List<AtomicInteger> counts = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      long[] lat = new long[400_000];
      AtomicInteger count = new AtomicInteger();
      lats.add(lat);
      counts.add(count);
      threads.add(Thread.ofPlatform().daemon().name("conn").start(() -> {
        while (true) {
          long t0 = System.nanoTime();
          if (t0 >= end) {
            return;
          }
          try (Socket sock = open(p, clientFirst ? ECHO : ECHO_CLOSE)) {
            echoOnce(sock);
            if (clientFirst) {
              sock.shutdownOutput();
              if (sock.getInputStream().read() != -1) {
                throw new IOException("data after the client's close");
              }
            }
          } catch (IOException e) {
            if (errors.incrementAndGet() <= 3) {
              System.out.println("   conn error: " + e);
            }
            try {
              Thread.sleep(10);
            } catch (InterruptedException ie) {
              return;
            }
            continue;
          }
          long t1 = System.nanoTime();
          if (t0 >= measureFrom && t1 <= end) {
            int i = count.getAndIncrement();
            if (i < lat.length) {
              lat[i] = t1 - t0;
            }
          }
        }
      }));
    }
    long[] cpu = new long[2];
    Thread.ofPlatform().daemon().start(() -> {
      try {
        Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
        cpu[0] = Procs.cpuTicks(proc);
        long f0 = Procs.machineBusyTicks() - Procs.selfTicks();
        Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
        cpu[1] = Procs.cpuTicks(proc);
        long f1 = Procs.machineBusyTicks() - Procs.selfTicks();
        FOREIGN.add(Math.max(0, (f1 - f0) - (cpu[1] - cpu[0])) / s.duration());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).join();
    for (Thread t : threads) {
      t.join();
    }
    int total = 0;
    for (AtomicInteger c : counts) {
      total += Math.min(c.get(), 400_000);
    }
    long[] all = new long[total];
    int k = 0;
    for (int w = 0; w < workers; w++) {
      int c = Math.min(counts.get(w).get(), 400_000);
      System.arraycopy(lats.get(w), 0, all, k, c);
      k += c;
    }
    Arrays.sort(all);
    double p50 = all.length == 0 ? Double.NaN : all[(int) (all.length * 0.50)] / 1e6;
    double p99 = all.length == 0 ? Double.NaN : all[Math.min(all.length - 1, (int) (all.length * 0.99))] / 1e6;
    return new ConnRate(total / s.duration(), p50, p99, errors.get(), (cpu[1] - cpu[0]) / s.duration());
  }

  // -------------------------------------------------------------------------- idle capacity

  /**
   * Opens idle tunnels to the echo server in steps up to each size, measuring the proxy's RSS
   * (VmRSS summed over its process tree) before and after; stops at the first failure or the
   * deadline and reports how far it got.
   */
  static void idle(Proxy p, Process proc, Settings s, Map<String, String> r, Map<String, Double> n) {
    ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
    try {
      // warm up: open and close 2,000 tunnels (in batches of 200), so that code paths, pools and
      // (for the JVM) the whole young generation have been used before the baseline is taken
      for (int round = 0; round < 10; round++) {
        List<Socket> warm = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          warm.add(open(p, ECHO));
        }
        for (Socket w : warm) {
          w.close();
        }
      }
      Thread.sleep(1000);
      Procs.gc(proc);
      long base = Procs.rssKb(proc);
      long basePss = Procs.pssKb(proc);
      Path baseHisto = Procs.LOGS.resolve(p.name() + "-histogram-0.txt");
      Procs.histogram(proc, baseHisto);
      AtomicInteger opened = new AtomicInteger();
      AtomicBoolean failed = new AtomicBoolean();
      String[] why = {null};
      for (int size : s.idleSizes()) {
        long deadline = System.nanoTime() + (long) (s.idleDeadline() * 1e9);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          threads.add(Thread.ofPlatform().daemon().start(() -> {
            while (!failed.get() && System.nanoTime() < deadline) {
              if (opened.incrementAndGet() > size) {
                opened.decrementAndGet();
                return;
              }
              try {
                Socket sock = open(p, ECHO);
                open.add(sock);
              } catch (IOException e) {
                opened.decrementAndGet();
                if (failed.compareAndSet(false, true)) {
                  why[0] = e.toString();
                }
              }
            }
          }));
        }
        for (Thread t : threads) {
          t.join();
        }
        // check a few tunnels still carry data
        int checked = 0;
        for (Socket sock : open) {
          if (checked++ >= 3) {
            break;
          }
          try {
            echoOnce(sock);
          } catch (IOException e) {
            failed.set(true);
            why[0] = "idle tunnel dead: " + e;
          }
        }
        Thread.sleep(1000);
        Procs.gc(proc);
        long rss = Procs.rssKb(proc);
        long pss = Procs.pssKb(proc);
        int got = open.size();
        double perConn = got == 0 ? Double.NaN : (rss - base) * 1024.0 / got;
        double pssPerConn = got == 0 ? Double.NaN : (pss - basePss) * 1024.0 / got;
        boolean tree = !proc.descendants().toList().isEmpty();
        String text = String.format(Locale.ROOT, "%.0f B (%d MiB)", perConn, rss / 1024)
            + (tree ? String.format(Locale.ROOT, "; PSS %.0f B", pssPerConn) : "");
        if (got < size) {
          text = "reached " + got + ": " + String.format(Locale.ROOT, "%.0f B", perConn)
              + (why[0] != null ? " [" + why[0].replace('|', '/') + "]" : " [deadline]");
        }
        Path histo = Procs.LOGS.resolve(p.name() + "-histogram-" + got + ".txt");
        Procs.histogram(proc, histo);
        long heap = Procs.histogramDiff(baseHisto, histo, got,
            Procs.LOGS.resolve(p.name() + "-heap-per-tunnel-" + got + ".txt"));
        if (heap > 0) {
          n.put("heap" + size, (double) heap);
          text += String.format(Locale.ROOT, "; heap %d B", heap);
        }
        r.put("idle" + size, text);
        n.put("idle" + size, perConn);
        r.put("rssbase", String.valueOf(base / 1024));
        System.out.printf("   %-14s idle %d: %s (base %d MiB)%n", p.name(), size, text, base / 1024);
        if (got < size) {
          break;
        }
      }
    } catch (Exception e) {
      r.put("idle", "error " + e);
      System.out.printf("   %s idle failed: %s%n", p.name(), e);
      e.printStackTrace(System.out);
    } finally {
      for (Socket sock : open) {
        try {
          sock.close();
        } catch (IOException ignored) {
          // closing
        }
      }
    }
  }

  // ------------------------------------------------------------------------------- report

  static String report(Settings s, boolean quick, List<Proxy> proxies, double seconds) {
    StringBuilder b = new StringBuilder();
    b.append("## Sluice benchmark").append(quick ? " (quick)" : "").append("\n\n");
    b.append(String.format(Locale.ROOT, "%s UTC, %d cores, %s, run took %.0f s. Throughput: %.0f s measured "
            + "after %.1f s warm-up per cell; connection rate: %.0f s per cell after %.1f s warm-up per cell, and "
            + "connections through each proxy before its first cell in rounds of %.0f s until two rounds agree within 10 %% (at most 6 rounds); MB = 10^6 bytes.%n%n",
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC).format(Instant.now()),
        Integer.getInteger("bench.cpus", Runtime.getRuntime().availableProcessors()), Procs.pinningNote(), seconds, s.duration(), s.warmup(),
        s.duration(), s.warmup(), s.connWarmup() / 2));
    double maxForeign = FOREIGN.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double avgForeign = FOREIGN.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    b.append(String.format(Locale.ROOT, "CPU used by processes outside the benchmark during the measured "
        + "cells: average %.0f%%, worst %.0f%% of one CPU (cells with >= 10%% are marked \"other\").%n%n",
        avgForeign, maxForeign));
    b.append("Load average (1/5/15 min, `uptime`): at the start ").append(LOAD_START).append(", at the end ")
        .append(Procs.loadavg()).append("; at the start of each row: ");
    RESULTS.forEach((name, r) -> b.append(name).append(' ').append(r.getOrDefault("load", "?")).append("; "));
    b.append("\n\n").append(Product.idleLine());
    b.append("### Throughput (MB/s, % of direct)\n\n| proxy |");
    for (String dir : new String[] {"up", "down"}) {
      for (int st : s.streams()) {
        b.append(' ').append(dir).append(' ').append(st).append(" |");
      }
    }
    b.append("\n|---|");
    b.append("---:|".repeat(2 * s.streams().length)).append('\n');
    Map<String, Double> direct = NUM.getOrDefault("direct", Map.of());
    for (Proxy p : proxies) {
      Map<String, String> r = RESULTS.get(p.name());
      if (r == null) {
        continue;
      }
      b.append("| ").append(p.name()).append(" |");
      for (String dir : new String[] {"up", "down"}) {
        for (int st : s.streams()) {
          String key = dir + st;
          Double v = NUM.get(p.name()).get(key);
          Double d = direct.get(key);
          b.append(' ').append(r.getOrDefault(key, "-"));
          if (v != null && d != null && d > 0 && !p.name().equals("direct")) {
            b.append(String.format(Locale.ROOT, " (%.0f%%)", 100 * v / d));
          }
          b.append(" |");
        }
      }
      b.append('\n');
    }
    b.append("\nProxy CPU during the throughput cells (% of one CPU; the proxies are pinned to one):\n\n| proxy |");
    for (String dir : new String[] {"up", "down"}) {
      for (int st : s.streams()) {
        b.append(' ').append(dir).append(' ').append(st).append(" |");
      }
    }
    b.append("\n|---|").append("---:|".repeat(2 * s.streams().length)).append('\n');
    for (Proxy p : proxies) {
      Map<String, String> r = RESULTS.get(p.name());
      if (r == null || p.kind() == Kind.DIRECT) {
        continue;
      }
      b.append("| ").append(p.name()).append(" |");
      for (String dir : new String[] {"up", "down"}) {
        for (int st : s.streams()) {
          b.append(' ').append(r.getOrDefault("cpu" + dir + st, "-")).append(" |");
        }
      }
      b.append('\n');
    }
    b.append("\nProxy CPU seconds per GB relayed (proxy CPU / throughput, 10^9 bytes):\n\n| proxy |");
    for (String dir : new String[] {"up", "down"}) {
      for (int st : s.streams()) {
        b.append(' ').append(dir).append(' ').append(st).append(" |");
      }
    }
    b.append("\n|---|").append("---:|".repeat(2 * s.streams().length)).append('\n');
    for (Proxy p : proxies) {
      Map<String, Double> n = NUM.get(p.name());
      if (n == null || p.kind() == Kind.DIRECT) {
        continue;
      }
      b.append("| ").append(p.name()).append(" |");
      for (String dir : new String[] {"up", "down"}) {
        for (int st : s.streams()) {
          Double mb = n.get(dir + st);
          Double cpu = n.get("cpu" + dir + st);
          b.append(' ').append(mb == null || cpu == null || mb <= 0 ? "-"
              : String.format(Locale.ROOT, "%.2f", cpu / 100 / (mb / 1000))).append(" |");
        }
      }
      b.append('\n');
    }
    b.append("\n### Connection rate (CONNECT + 64-byte echo + close)\n\nProxy CPU: % of one CPU during the cell, "
        + "per connection, and net of the proxy's idle CPU (measured for 3 s with no traffic before the cells: ");
    RESULTS.forEach((name, r) -> {
      if (r.containsKey("idlecpu")) {
        b.append(name).append(' ').append(r.get("idlecpu")).append("; ");
      }
    });
    b.append(")\n\n| proxy | auth |");
    for (int w : s.workers()) {
      b.append(" conn/s ").append(w).append("w | p50/p99 ms ").append(w).append("w | proxy CPU ").append(w)
          .append("w |");
    }
    b.append("\n|---|---|").append("---:|---:|---:|".repeat(s.workers().length)).append('\n');
    for (Proxy p : proxies) {
      Map<String, String> r = RESULTS.get(p.name());
      if (r == null) {
        continue;
      }
      b.append("| ").append(p.name()).append(" | ").append(p.note()).append(" |");
      for (int w : s.workers()) {
        b.append(' ').append(r.getOrDefault("cps" + w, "-")).append(" | ").append(r.getOrDefault("lat" + w, "-"))
            .append(" | ").append(r.getOrDefault("cpuconn" + w, "-")).append(" |");
      }
      b.append('\n');
    }
    if (MODES.contains("connrate-client")) {
      b.append("\n### Connection rate, client closes first (CONNECT + 64-byte echo + client FIN, until the "
          + "proxy closes)\n\n| proxy |");
      for (int w : s.workers()) {
        b.append(" conn/s ").append(w).append("w | p50/p99 ms ").append(w).append("w | proxy CPU ").append(w)
            .append("w |");
      }
      b.append("\n|---|").append("---:|---:|---:|".repeat(s.workers().length)).append('\n');
      for (Proxy p : proxies) {
        Map<String, String> r = RESULTS.get(p.name());
        if (r == null || !r.containsKey("ccps" + s.workers()[0])) {
          continue;
        }
        b.append("| ").append(p.name()).append(" |");
        for (int w : s.workers()) {
          b.append(' ').append(r.getOrDefault("ccps" + w, "-")).append(" | ")
              .append(r.getOrDefault("clat" + w, "-")).append(" | ")
              .append(r.getOrDefault("ccpuconn" + w, "-")).append(" |");
        }
        b.append('\n');
      }
    }
    b.append("\n### Idle tunnels (VmRSS of the proxy's process tree above its baseline, per tunnel; for "
        + "multi-process proxies also PSS, which counts shared pages once)\n\n| proxy | baseline MiB |");
    for (int size : s.idleSizes()) {
      b.append(' ').append(size).append(" tunnels |");
    }
    b.append("\n|---|---:|").append("---:|".repeat(s.idleSizes().length)).append('\n');
    for (Proxy p : proxies) {
      Map<String, String> r = RESULTS.get(p.name());
      if (r == null || p.kind() == Kind.DIRECT) {
        continue;
      }
      b.append("| ").append(p.name()).append(" | ").append(r.getOrDefault("rssbase", "-")).append(" |");
      for (int size : s.idleSizes()) {
        b.append(' ').append(r.getOrDefault("idle" + size, "-")).append(" |");
      }
      b.append('\n');
    }
    b.append("\n### Targets\n\n");
    b.append(verdicts(s));
    for (Map.Entry<String, Map<String, String>> e : RESULTS.entrySet()) {
      if (e.getValue().containsKey("error")) {
        b.append("\n").append(e.getKey()).append(" error: ").append(e.getValue().get("error")).append('\n');
      }
    }
    return b.toString();
  }

  static String verdicts(Settings s) {
    StringBuilder b = new StringBuilder();
    Map<String, Double> direct = NUM.get("direct");
    for (String[] pair : new String[][] {{"sluice-socks5", "engine-socks5"}, {"sluice-http", "engine-http"}}) {
      Map<String, Double> prod = NUM.get(pair[0]);
      Map<String, Double> eng = NUM.get(pair[1]);
      if (prod == null || eng == null) {
        continue;
      }
      for (int w : s.workers()) {
        Double a = prod.get("netus" + w);
        Double e = eng.get("netus" + w);
        if (a != null && e != null && e > 0) {
          b.append(String.format(Locale.ROOT,
              "- %s CPU per connection at %d worker(s), net of idle CPU (%.1f%% vs %.1f%%): %.0f us = %.2fx "
                  + "the engine alone (%s, %.0f us; gross %.0f vs %.0f us) -> target <= 1.5x: %s%n",
              pair[0], w, prod.getOrDefault("idlecpu", 0.0), eng.getOrDefault("idlecpu", 0.0), a, a / e, pair[1], e,
              prod.get("cpuus" + w), eng.get("cpuus" + w), a / e <= 1.5 ? "met" : "MISSED"));
        }
      }
    }
    for (String sluice : new String[] {"sluice-socks5", "sluice-http"}) {
      Map<String, Double> n = NUM.get(sluice);
      if (n == null) {
        continue;
      }
      if (direct != null) {
        double worst = Double.MAX_VALUE;
        String at = "";
        for (String dir : new String[] {"up", "down"}) {
          for (int st : s.streams()) {
            Double v = n.get(dir + st);
            Double d = direct.get(dir + st);
            if (v != null && d != null && v / d < worst) {
              worst = v / d;
              at = dir + " " + st;
            }
          }
        }
        if (!at.isEmpty()) {
          b.append(String.format(Locale.ROOT, "- %s throughput: worst %.0f%% of direct (%s) -> target >= 90%%: %s%n",
              sluice, 100 * worst, at, worst >= 0.9 ? "met" : "MISSED"));
        }
      }
      int w = s.workers()[s.workers().length - 1];
      String[] refs = sluice.equals("sluice-socks5") ? new String[] {"dante", "microsocks"}
          : new String[] {"squid", "tinyproxy"};
      if (w != s.workers()[0]) {
        // at one worker: >= the best reference
        int w1 = s.workers()[0];
        String best1 = null;
        double best1Cps = 0;
        for (String ref : refs) {
          Map<String, Double> rn = NUM.get(ref);
          if (rn != null && rn.getOrDefault("cps" + w1, 0.0) > best1Cps) {
            best1Cps = rn.get("cps" + w1);
            best1 = ref;
          }
        }
        Double cps1 = n.get("cps" + w1);
        if (best1 != null && cps1 != null) {
          b.append(String.format(Locale.ROOT,
              "- %s connection rate at %d worker: %.0f/s = %.2fx best reference %s (%.0f/s) -> target >= 1x: %s%n",
              sluice, w1, cps1, cps1 / best1Cps, best1, best1Cps, cps1 >= best1Cps ? "met" : "MISSED"));
        }
      }
      String best = null;
      double bestCps = 0;
      for (String ref : refs) {
        Map<String, Double> rn = NUM.get(ref);
        if (rn != null && rn.getOrDefault("cps" + w, 0.0) > bestCps) {
          bestCps = rn.get("cps" + w);
          best = ref;
        }
      }
      Double cps = n.get("cps" + w);
      if (best != null && cps != null) {
        double ratio = cps / bestCps;
        double p99 = n.get("p99_" + w);
        double refP99 = NUM.get(best).get("p99_" + w);
        b.append(String.format(Locale.ROOT,
            "- %s connection rate at %d workers: %.0f/s = %.2fx best reference %s (%.0f/s); p99 %.2f vs %.2f ms "
                + "-> target >= 1.3x with lower p99: %s%n",
            sluice, w, cps, ratio, best, bestCps, p99, refP99, ratio >= 1.3 && p99 < refP99 ? "met" : "MISSED"));
      }
      for (int size : s.idleSizes()) {
        Double per = n.get("idle" + size);
        Double heap = n.get("heap" + size);
        if (heap != null) {
          b.append(String.format(Locale.ROOT,
              "- %s idle tunnels (%d): live heap %.0f B/tunnel (RSS %.0f B) -> target <= 4096 B of heap: %s%n",
              sluice, size, heap, per == null ? Double.NaN : per, heap <= 4096 ? "met" : "MISSED"));
        } else if (per != null) {
          b.append(String.format(Locale.ROOT, "- %s idle tunnels (%d): %.0f B/tunnel -> target <= 4096: %s%n",
              sluice, size, per, per <= 4096 ? "met" : "MISSED"));
        }
      }
    }
    return b.toString();
  }
}
