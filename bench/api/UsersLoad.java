import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Admin API latency under a fixed request rate: fills the server with proxy users (through the API,
 * 8 at a time) up to a count, then sends {@code GET /api/v1/users} (the first page, 50 users, and
 * the last page) at a fixed rate, open loop (request i is due at start + i / rate; latency counts
 * from when it was due, so a slow server is not hidden by the client waiting), and prints p50, p90,
 * p99 and max. JDK only; run with {@code java bench/api/UsersLoad.java}. Only the given base URL
 * (127.0.0.1) is contacted; every phase is bounded in time.
 *
 * <p>Usage: {@code UsersLoad BASE_URL ADMIN_PASSWORD USERS RATE SECONDS}
 */
public final class UsersLoad {

  static final Pattern TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");
  static final Pattern TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

  public static void main(String[] args) {
    try {
      run(args);
      System.exit(0);
    } catch (Exception e) {
      // the client's executor threads would keep the JVM alive
      e.printStackTrace();
      System.exit(1);
    }
  }

  static void run(String[] args) throws Exception {
    String base = args[0];
    String password = args[1];
    int users = Integer.parseInt(args[2]);
    int rate = Integer.parseInt(args[3]);
    int seconds = Integer.parseInt(args[4]);
    // HTTP/1.1: the JDK client would otherwise try an h2c upgrade, which the server does not speak
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
        .executor(Executors.newFixedThreadPool(4)).build();
    String adminToken = login(http, base, password);
    String token = adminToken;

    int existing = total(http, base, token);
    long t0 = System.nanoTime();
    AtomicInteger next = new AtomicInteger(existing);
    AtomicInteger failed = new AtomicInteger();
    String run = Long.toString(System.currentTimeMillis() % 100000, 36);
    List<Thread> creators = new ArrayList<>();
    long createDeadline = System.nanoTime() + 600_000_000_000L;
    for (int t = 0; t < 8; t++) {
      creators.add(Thread.ofPlatform().start(() -> {
        int i;
        while ((i = next.getAndIncrement()) < users && System.nanoTime() < createDeadline) {
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/users"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"load_" + run + "_" + i + "\"}"))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201 && failed.incrementAndGet() <= 3) {
              System.out.println("create: " + r.statusCode() + " " + r.body());
            }
          } catch (Exception e) {
            if (failed.incrementAndGet() <= 3) {
              System.out.println("create: " + e);
            }
          }
        }
      }));
    }
    for (Thread t : creators) {
      t.join();
    }
    double createSecs = (System.nanoTime() - t0) / 1e9;
    int count = total(http, base, token);
    System.out.printf(Locale.ROOT, "users: %d (%d created in %.1f s, %d failed)%n", count,
        Math.max(0, users - existing), createSecs, failed.get());

    int lastPage = Math.max(0, (count - 1) / 50);
    token = login(http, base, password); // a fresh token for the measured phases
    for (String query : new String[] {"", "?page=" + lastPage}) {
      measure(http, base + "/api/v1/users" + query, token, rate, 3, false);
      measure(http, base + "/api/v1/users" + query, token, rate, seconds, true);
    }
  }

  static void measure(HttpClient http, String url, String token, int rate, int seconds, boolean print)
      throws Exception {
    int n = rate * seconds;
    long[] lat = new long[n];
    Arrays.fill(lat, -1);
    AtomicLong errors = new AtomicLong();
    ConcurrentLinkedQueue<CompletableFuture<?>> inFlight = new ConcurrentLinkedQueue<>();
    HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(10)).GET().build();
    long start = System.nanoTime() + 10_000_000;
    for (int i = 0; i < n; i++) {
      long due = start + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      int k = i;
      inFlight.add(http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> {
        if (e != null || r.statusCode() != 200) {
          errors.incrementAndGet();
        } else {
          lat[k] = System.nanoTime() - due;
        }
      }));
    }
    for (CompletableFuture<?> f : inFlight) {
      try {
        f.join();
      } catch (RuntimeException e) {
        // counted
      }
    }
    if (!print) {
      return;
    }
    long[] ok = Arrays.stream(lat).filter(x -> x >= 0).sorted().toArray();
    double achieved = n / ((System.nanoTime() - start) / 1e9);
    System.out.printf(Locale.ROOT,
        "GET %s: %d requests at %d/s for %d s (achieved %.0f/s), %d errors; latency ms p50 %.1f p90 %.1f"
            + " p99 %.1f max %.1f%n", url.replaceFirst("^https?://[^/]+", ""), n, rate, seconds, achieved,
        errors.get(), pct(ok, 0.50), pct(ok, 0.90), pct(ok, 0.99), ok.length == 0 ? Double.NaN : ok[ok.length - 1] / 1e6);
  }

  static double pct(long[] sorted, double q) {
    return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))] / 1e6;
  }

  static String login(HttpClient http, String base, String password) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/auth/login"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + password + "\"}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = TOKEN.matcher(r.body());
    if (!m.find()) {
      throw new IllegalStateException("login failed: " + r.statusCode() + " " + r.body());
    }
    return m.group(1);
  }

  static int total(HttpClient http, String base, String token) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/users?size=1"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    Matcher m = TOTAL.matcher(r.body());
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }
}
