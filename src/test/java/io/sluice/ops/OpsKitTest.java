package io.sluice.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operations kit under {@code deploy/}: the Prometheus rules pass {@code promtool check rules}
 * and their unit tests, and every PromQL expression of the rules and of the Grafana dashboard names
 * only metrics Sluice exports (collected from the source) or Liberty's base and vendor metrics. The
 * promtool checks are skipped when {@code promtool} is not on PATH ({@code scripts/test.sh}
 * installs the Debian package {@code prometheus}).
 */
@Timeout(120)
class OpsKitTest {

  static final Path RULES = Path.of("deploy/prometheus/sluice-rules.yml");
  static final Path RULE_TESTS = Path.of("deploy/prometheus/sluice-rules.test.yml");
  static final Path DASHBOARD = Path.of("deploy/grafana/sluice.json");

  /**
   * Liberty's base and vendor metrics the kit uses (names as mpMetrics-5.1 exports them), and
   * Prometheus's own {@code up}.
   */
  static final Set<String> EXTERNAL =
      Set.of(
          "up",
          "memory_usedHeap_bytes",
          "memory_committedHeap_bytes",
          "memory_maxHeap_bytes",
          "thread_count",
          "gc_total",
          "threadpool_activeThreads",
          "REST_request_seconds_count",
          "REST_request_seconds_sum",
          "REST_request_seconds_max",
          "REST_request_unmappedException_total");

  static final Set<String> PROMQL_WORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "by",
          "without",
          "on",
          "ignoring",
          "offset",
          "bool",
          "group_left",
          "group_right",
          "inf",
          "nan");

  @Test
  void promtoolAcceptsTheRulesAndTheirTests() throws Exception {
    assumeTrue(
        onPath("promtool"),
        "promtool not on PATH (Debian package prometheus; scripts/test.sh installs it): skipped");
    assertThat(run(List.of("promtool", "check", "rules", RULES.toString())).exit())
        .as("promtool check rules")
        .isZero();
    assertThat(run(List.of("promtool", "test", "rules", RULE_TESTS.toString())).exit())
        .as("promtool test rules")
        .isZero();
  }

  @Test
  void rulesNameOnlyExportedMetrics() throws IOException {
    List<String> exprs = new ArrayList<>();
    List<String> lines = Files.readAllLines(RULES);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (!line.startsWith("expr:")) {
        continue;
      }
      String rest = line.substring(5).strip();
      if (rest.equals("|")) {
        StringBuilder block = new StringBuilder();
        while (i + 1 < lines.size() && !lines.get(i + 1).strip().matches("[a-z_]+:.*")) {
          block.append(lines.get(++i)).append('\n');
        }
        rest = block.toString();
      }
      exprs.add(rest);
    }
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(10);
    assertKnown(exprs);
    String all = String.join("\n", exprs);
    for (String needed :
        List.of(
            "sluice_exits",
            "sluice_admin_logins_total",
            "sluice_auth_lockouts_total",
            "sluice_tunnel_agents_connected",
            "sluice_dedicated_reassignments_total",
            "sluice_address_pool_used",
            "sluice_address_pool_total",
            "memory_usedHeap_bytes",
            "up")) {
      assertThat(metricNames(all)).as("rules use " + needed).contains(needed);
    }
  }

  @Test
  void dashboardPanelsQueryExportedMetrics(@TempDir Path tmp) throws Exception {
    JsonNode dash = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertThat(dash.path("schemaVersion").asInt()).isBetween(36, 41);
    assertThat(dash.path("title").asText()).isEqualTo("Sluice");
    List<String> exprs = new ArrayList<>();
    for (JsonNode panel : dash.path("panels")) {
      if (panel.path("type").asText().equals("row")) {
        continue;
      }
      assertThat(panel.path("datasource").path("uid").asText())
          .as("panel %s datasource", panel.path("title").asText())
          .isEqualTo("${DS_PROMETHEUS}");
      assertThat(panel.path("targets")).as(panel.path("title").asText()).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        exprs.add(target.path("expr").asText());
      }
    }
    assertThat(exprs).hasSizeGreaterThanOrEqualTo(20);
    assertKnown(exprs);
    Set<String> used = metricNames(String.join("\n", exprs));
    assertThat(used)
        .contains(
            "sluice_proxy_bytes_total",
            "sluice_proxy_active_connections",
            "sluice_exits",
            "sluice_exit_check_seconds_sum",
            "sluice_tunnel_agents_connected",
            "sluice_address_pool_used",
            "sluice_admin_logins_total",
            "memory_usedHeap_bytes");

    // Every expression, with Grafana's variables filled in, must parse: promtool checks it as
    // a recording rule.
    assumeTrue(onPath("promtool"), "promtool not on PATH: PromQL syntax of the panels unchecked");
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < exprs.size(); i++) {
      String e =
          exprs
              .get(i)
              .replace("$__rate_interval", "5m")
              .replace("$__range", "1h")
              .replace("$job", "sluice")
              .replace("$instance", ".*");
      rules
          .append("      - record: dashboard:panel")
          .append(i)
          .append("\n        expr: '")
          .append(e.replace("'", "''"))
          .append("'\n");
    }
    Path file = tmp.resolve("dashboard-rules.yml");
    Files.writeString(file, rules);
    Result r = run(List.of("promtool", "check", "rules", file.toString()));
    assertThat(r.exit()).as("promtool on the dashboard's expressions:\n%s", r.output()).isZero();
  }

  @Test
  void shellcheckAcceptsTheScripts() throws Exception {
    assumeTrue(onPath("shellcheck"), "shellcheck not on PATH (Debian package shellcheck): skipped");
    List<String> cmd = new ArrayList<>(List.of("shellcheck", "-x"));
    try (Stream<Path> s = Files.list(Path.of("scripts"))) {
      s.filter(p -> p.toString().endsWith(".sh")).sorted().forEach(p -> cmd.add(p.toString()));
    }
    assertThat(cmd).hasSizeGreaterThan(2);
    Result r = run(cmd);
    assertThat(r.exit()).as("shellcheck:\n%s", r.output()).isZero();
  }

  @Test
  void installDryRunPrintsThePlanAndWritesNothing(@TempDir Path tmp) throws Exception {
    List<Path> watched =
        List.of(
            Path.of("/opt/sluice"),
            Path.of("/etc/sluice"),
            Path.of("/etc/systemd/system/sluice.service"));
    List<Boolean> before = watched.stream().map(Files::exists).toList();
    Path from = Files.createDirectory(tmp.resolve("liberty"));
    Result r =
        run(
            List.of(
                Path.of("scripts/install.sh").toAbsolutePath().toString(),
                "--dry-run",
                "--from",
                from.toString(),
                "--with-nftables"));
    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output())
        .contains(
            "write /etc/systemd/system/sluice.service",
            "User=sluice",
            "EnvironmentFile=/etc/sluice/sluice.env",
            "AmbientCapabilities=CAP_NET_ADMIN CAP_NET_BIND_SERVICE",
            "Restart=on-failure",
            "TimeoutStopSec=",
            "ExecStart=/opt/sluice/wlp/bin/server run sluice",
            "useradd --system",
            "nftables",
            "Dry run: nothing was changed.")
        .containsPattern("write /etc/sluice/sluice.env \\(mode 0600")
        .contains("SLUICE_SECRET_KEY=<generated>");
    assertThat(watched.stream().map(Files::exists).toList()).isEqualTo(before);
    try (Stream<Path> s = Files.walk(tmp)) {
      assertThat(s.toList()).containsExactlyInAnyOrder(tmp, from);
    }

    Result u =
        run(
            List.of(
                Path.of("scripts/uninstall.sh").toAbsolutePath().toString(),
                "--dry-run",
                "--purge"));
    assertThat(u.exit()).as(u.output()).isZero();
    assertThat(u.output())
        .contains("rm -f /etc/systemd/system/sluice.service", "rm -rf /opt/sluice");
    assertThat(watched.stream().map(Files::exists).toList()).isEqualTo(before);
  }

  // ---------------------------------------------------------------------------------------

  private static void assertKnown(List<String> exprs) throws IOException {
    Set<String> known = exported();
    known.addAll(EXTERNAL);
    for (String e : exprs) {
      assertThat(metricNames(e)).as("metrics in %s", e).isNotEmpty().isSubsetOf(known);
    }
  }

  /** The Prometheus names of the metrics registered in src/main/java. */
  static Set<String> exported() throws IOException {
    Pattern name = Pattern.compile("\"(sluice_[a-z_]+)\"");
    Set<String> out = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = name.matcher(Files.readString(f, StandardCharsets.UTF_8));
        while (m.find()) {
          String n = m.group(1);
          // gauge as is, counter with _total, timer in seconds as a summary or histogram
          out.add(n);
          out.add(n + "_total");
          for (String suffix : List.of("", "_count", "_sum", "_max", "_bucket")) {
            out.add(n + "_seconds" + suffix);
          }
        }
      }
    }
    assertThat(out).contains("sluice_exits", "sluice_proxy_bytes_total");
    return out;
  }

  /** The metric names of a PromQL expression: identifiers outside strings, matchers, ranges. */
  static Set<String> metricNames(String expr) {
    String s =
        expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> out = new TreeSet<>();
    Matcher m = Pattern.compile("(?<![\\w.$])([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?").matcher(s);
    while (m.find()) {
      String id = m.group(1);
      if (m.group(2) != null || PROMQL_WORDS.contains(id.toLowerCase())) {
        continue; // a function call or a keyword
      }
      out.add(id);
    }
    return out;
  }

  record Result(int exit, String output) {}

  static Result run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
