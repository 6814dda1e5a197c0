package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The product mode of the benchmark ({@code bench/run.sh --product}): the Sluice server as users
 * run it (Liberty, the packaged application, the real authenticator against the database, metrics
 * and usage recording on, a proxy user created through the admin API) measured in the same run as
 * the engine alone ({@link BenchEngine}), direct, dante, microsocks and squid.
 *
 * <p>The server is started once for its two rows (SOCKS5 on 1080, HTTP CONNECT on 3128) by {@code
 * bench/product-server.sh}, pinned to CPU 0, which holds the machine's Liberty lock while it runs;
 * the driver stops it (and so releases the lock) before the reference proxies run.
 */
final class Product {

  static final int SOCKS_PORT = 1080;
  static final int HTTP_PORT = 3128;
  /** What the product server reported when ready (PID, IDLE_RSS_KB). */
  static final Map<String, String> INFO = new LinkedHashMap<>();

  private final Path script;
  private final Path out;
  private final boolean jfr;
  private Process process;
  private boolean started;

  Product(Path script, Path out, boolean jfr) {
    this.script = script;
    this.out = out;
    this.jfr = jfr;
  }

  static List<Bench.Proxy> proxies(boolean jfr, Path out) {
    List<Bench.Proxy> list = new ArrayList<>();
    list.add(new Bench.Proxy("direct", Bench.Kind.DIRECT, 0, false, null, "no proxy: the physical limit"));
    list.add(new Bench.Proxy("sluice-socks5", Bench.Kind.SOCKS5, SOCKS_PORT, true, null,
        "product: Liberty + WAR, user/password from the database", true));
    list.add(new Bench.Proxy("sluice-http", Bench.Kind.HTTP, HTTP_PORT, true, null,
        "product: Liberty + WAR, Basic from the database", true));
    list.add(new Bench.Proxy("engine-socks5", Bench.Kind.SOCKS5, 21080, true,
        dir -> Procs.sluice(dir, jfr ? out.resolve("engine-socks5.jfr") : null),
        "engine alone (BenchEngine), user/password in memory"));
    list.add(new Bench.Proxy("engine-http", Bench.Kind.HTTP, 23128, true,
        dir -> Procs.sluice(dir, jfr ? out.resolve("engine-http.jfr") : null),
        "engine alone (BenchEngine), Basic in memory"));
    list.add(new Bench.Proxy("dante", Bench.Kind.SOCKS5, 21081, false, Procs::dante,
        "no auth (dante's username method needs system accounts)"));
    list.add(new Bench.Proxy("microsocks", Bench.Kind.SOCKS5, 21082, true, Procs::microsocks, "user/password"));
    list.add(new Bench.Proxy("squid", Bench.Kind.HTTP, 23129, true, Procs::squid, "Basic (basic_ncsa_auth)"));
    list.add(new Bench.Proxy("tinyproxy", Bench.Kind.HTTP, 23130, true, Procs::tinyproxy, "BasicAuth"));
    return list;
  }

  /** Starts the server (first call) and waits until its proxy user exists; returns the process. */
  Process start() throws Exception {
    if (started) {
      return process;
    }
    started = true;
    Path env = out.resolve("product.env");
    Files.deleteIfExists(env);
    System.out.printf("== product server: starting (waits for the Liberty lock)%n");
    process = Procs.launch("product-server", List.of("bash", script.toString(), out.toString()));
    // the lock may be held by another build for a while; Liberty on one CPU takes about a minute
    long deadline = System.currentTimeMillis() + 30 * 60_000L;
    while (!Files.exists(env)) {
      if (!process.isAlive()) {
        throw new IOException("product server exited with " + process.exitValue()
            + " (see bench/out/logs/product-server.log)");
      }
      if (System.currentTimeMillis() > deadline) {
        throw new IOException("product server not ready after 30 min");
      }
      Thread.sleep(500);
    }
    for (String line : Files.readAllLines(env)) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        INFO.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    Bench.productPass = INFO.get("PASS");
    Bench.productBasic = Bench.basic(Bench.USER, Bench.productPass);
    if (jfr) {
      jcmd("JFR.start", "name=bench", "settings=profile");
    }
    System.out.printf("   product server ready: JVM pid %s, idle RSS %s KiB, load %s%n", INFO.get("PID"),
        INFO.get("IDLE_RSS_KB"), Procs.loadavg());
    return process;
  }

  /** Stops the server (SIGTERM: `server stop`, then the lock is released); idempotent. */
  void stop() {
    if (process != null) {
      if (jfr) {
        jcmd("JFR.stop", "name=bench", "filename=" + out.resolve("product.jfr"));
      }
      Procs.stop(process, 60);
      process = null;
    }
  }

  /** Runs jcmd against the server JVM (JFR recording with --jfr). */
  private void jcmd(String... args) {
    try {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), INFO.get("PID")));
      cmd.addAll(List.of(args));
      Process j = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(out.resolve("logs/product-jcmd.log").toFile())).start();
      j.waitFor(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException e) {
      System.out.println("   jcmd " + String.join(" ", args) + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A line for the report: the idle RSS of the whole server, as measured when it was ready. */
  static String idleLine() {
    String kb = INFO.get("IDLE_RSS_KB");
    if (kb == null) {
      return "";
    }
    return String.format(java.util.Locale.ROOT,
        "Product server idle (10 s after start-up and the API calls, then a full GC and 11 s): VmRSS %d MiB "
            + "(target <= 400 MB).%n%n", Long.parseLong(kb.trim()) / 1024);
  }
}
