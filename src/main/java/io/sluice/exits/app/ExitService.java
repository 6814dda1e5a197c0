package io.sluice.exits.app;

import inet.ipaddr.IPAddressString;
import io.sluice.exits.domain.ExitCheckRepository;
import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.ExitRepository;
import io.sluice.exits.domain.ExitsChanged;
import io.sluice.exits.domain.Latency;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.db.Page;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Exits: direct (optionally from a local source address), upstream SOCKS5 and upstream HTTP
 * (CONNECT), each with optional credentials. Passwords are sealed with the server key and never
 * returned; views say only whether one is set.
 */
@ApplicationScoped
public class ExitService {

  public static final String PASSWORD_PURPOSE = "exit-password";
  public static final Set<String> KINDS = Set.of("direct", "socks5", "http");
  public static final Set<String> FIELDS =
      Set.of(
          "name",
          "kind",
          "host",
          "port",
          "username",
          "upstreamUsernameTemplate",
          "password",
          "localAddress",
          "country",
          "enabled",
          "state",
          "expectedIp",
          "checkUrl");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final Pattern COUNTRY = Pattern.compile("[a-z]{2}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,255}");

  @Inject ExitRepository repo;
  @Inject ExitCheckRepository checks;
  @Inject ServerKeys keys;
  @Inject Event<ExitsChanged> changed;

  /** An exit as the API shows it (no password). */
  public record ExitView(
      long id,
      String name,
      String kind,
      String host,
      Integer port,
      String username,
      String upstreamUsernameTemplate,
      boolean hasPassword,
      String localAddress,
      String country,
      boolean enabled,
      String state,
      List<String> pools,
      Long providerId,
      boolean retired,
      String expectedIp,
      String actualIp,
      Integer latencyMs,
      LatencyView latency,
      boolean slow,
      Instant lastCheckedAt,
      Instant lastVerifiedAt,
      String lastError,
      String checkUrl,
      Instant createdAt,
      Instant updatedAt) {}

  /**
   * Latency of successful checks: the last one, the average (EWMA, alpha 0.3), and p50/p95 of the
   * successful checks among the stored history.
   */
  public record LatencyView(Integer lastMs, Long ewmaMs, Integer p50Ms, Integer p95Ms) {}

  @Transactional
  public ExitView create(Map<String, Object> in) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    ExitNodeEntity e = new ExitNodeEntity();
    e.enabled = true;
    e.state = ExitState.HEALTHY;
    apply(e, in, true, errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    if (repo.exitByName(e.name).isPresent()) {
      throw ApiException.conflict("an exit named '" + e.name + "' already exists");
    }
    e.createdAt = e.updatedAt = Instant.now();
    repo.insert(e);
    changed.fire(new ExitsChanged("exit"));
    return view(e);
  }

  @Transactional
  public ExitView update(long id, Map<String, Object> in) {
    ExitNodeEntity e = find(id);
    List<ApiException.FieldError> errors = new ArrayList<>();
    apply(e, in, false, errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    e.updatedAt = Instant.now();
    changed.fire(new ExitsChanged("exit"));
    return view(e);
  }

  @Transactional
  public ExitView get(long id) {
    return view(find(id));
  }

  @Transactional
  public Page<ExitView> list(
      String pool, String state, String country, Long provider, int page, int size) {
    if (page < 0) {
      throw ApiException.validation("page", "must be 0 or greater");
    }
    if (size < 1 || size > 500) {
      throw ApiException.validation("size", "must be between 1 and 500");
    }
    ExitState wanted = stateFilter(state);
    return new Page<>(
        views(repo.exits(pool, wanted, country, provider, page, size)),
        page,
        size,
        repo.countExits(pool, wanted, country, provider));
  }

  @Transactional
  public void delete(long id) {
    ExitNodeEntity e = find(id);
    for (ExitPoolEntity p : repo.poolsContaining(e)) {
      p.members.remove(e);
    }
    repo.delete(e);
    changed.fire(new ExitsChanged("exit"));
  }

  ExitNodeEntity find(long id) {
    return repo.exit(id).orElseThrow(() -> ApiException.notFound("exit " + id));
  }

  private void apply(
      ExitNodeEntity e,
      Map<String, Object> in,
      boolean creating,
      List<ApiException.FieldError> errors) {
    if (in.containsKey("name") || creating) {
      String name = (String) in.get("name");
      if (name == null || !NAME.matcher(name).matches() || name.equals("direct")) {
        errors.add(
            new ApiException.FieldError(
                "name", "is required: 1-128 letters, digits, . _ : - (not 'direct')"));
      } else {
        e.name = name;
      }
    }
    if (in.containsKey("kind") || creating) {
      String kind = (String) in.get("kind");
      if (kind == null || !KINDS.contains(kind)) {
        errors.add(new ApiException.FieldError("kind", "must be one of: direct, socks5, http"));
      } else {
        e.kind = kind;
      }
    }
    if (in.containsKey("host")) {
      String host = (String) in.get("host");
      if (host != null && !HOST.matcher(host).matches()) {
        errors.add(new ApiException.FieldError("host", "must be a host name or IP address"));
      } else {
        e.host = host;
      }
    }
    if (in.containsKey("port")) {
      Long port = (Long) in.get("port");
      if (port != null && (port < 1 || port > 65535)) {
        errors.add(new ApiException.FieldError("port", "must be between 1 and 65535"));
      } else {
        e.port = port == null ? null : port.intValue();
      }
    }
    if (in.containsKey("username")) {
      e.username = (String) in.get("username");
    }
    if (in.containsKey(UpstreamSessions.FIELD)) {
      String kind = in.get("kind") instanceof String k ? k : e.kind;
      String t = UpstreamSessions.checkTemplate(in.get(UpstreamSessions.FIELD), kind, errors);
      if (in.get(UpstreamSessions.FIELD) == null || t != null) {
        e.upstreamUsernameTemplate = t;
      }
    }
    if (in.containsKey("password")) {
      String pw = (String) in.get("password");
      e.passwordEnc =
          pw == null || pw.isEmpty() ? null : keys.box().sealString(PASSWORD_PURPOSE, pw);
    }
    if (in.containsKey("localAddress")) {
      String local = (String) in.get("localAddress");
      if (local != null && !new IPAddressString(local).isIPAddress()) {
        errors.add(
            new ApiException.FieldError("localAddress", "must be an IP address of this host"));
      } else {
        e.localAddress = local;
      }
    }
    if (in.containsKey("country")) {
      String c =
          in.get("country") == null
              ? null
              : ((String) in.get("country")).toLowerCase(java.util.Locale.ROOT);
      if (c != null && !COUNTRY.matcher(c).matches()) {
        errors.add(
            new ApiException.FieldError("country", "must be an ISO 3166 alpha-2 code such as de"));
      } else {
        e.country = c;
      }
    }
    if (in.containsKey("enabled") && in.get("enabled") != null) {
      e.enabled = (Boolean) in.get("enabled");
    }
    if (in.containsKey("state")) {
      ExitState s = in.get("state") instanceof String name ? ExitState.fromWire(name) : null;
      if (s == null || s == ExitState.DISABLED || !name(s).equals(in.get("state"))) {
        errors.add(
            new ApiException.FieldError("state", "must be one of: healthy, suspect, unhealthy"));
      } else {
        e.state = s;
        e.consecutiveFailures = 0; // a state set by hand starts the hysteresis afresh
        e.consecutiveSuccesses = 0;
      }
    }
    if (in.containsKey("expectedIp")) {
      String ip = (String) in.get("expectedIp");
      if (ip != null && !new IPAddressString(ip).isIPAddress()) {
        errors.add(new ApiException.FieldError("expectedIp", "must be an IP address"));
      } else {
        e.expectedIp = ip;
      }
    }
    if (in.containsKey("checkUrl")) {
      String url = (String) in.get("checkUrl");
      if (url != null && !url.matches("https?://[^\\s]{1,1990}")) {
        errors.add(
            new ApiException.FieldError(
                "checkUrl", "must be an http:// or https:// URL of an IP echo"));
      } else {
        e.checkUrl = url;
      }
    }
    if (e.kind != null && !"direct".equals(e.kind) && (e.host == null || e.port == null)) {
      errors.add(
          new ApiException.FieldError(
              "host", "host and port are required for " + e.kind + " exits"));
    }
  }

  /**
   * The {@code state} query filter: null for any, else one of {@code healthy}, {@code suspect},
   * {@code unhealthy} (400 otherwise).
   */
  public static ExitState stateFilter(String state) {
    if (state == null || state.isBlank()) {
      return null;
    }
    ExitState s = ExitState.fromWire(state);
    if (s == null || s == ExitState.DISABLED) {
      throw ApiException.validation("state", "must be one of: healthy, suspect, unhealthy");
    }
    return s;
  }

  private static String name(ExitState s) {
    return s.wireName();
  }

  ExitView view(ExitNodeEntity e) {
    return view(e, e.id == null ? Map.of() : latencies(List.of(e.id)));
  }

  private List<ExitView> views(List<ExitNodeEntity> page) {
    Map<Long, List<Integer>> latencies = latencies(page.stream().map(e -> e.id).toList());
    return page.stream().map(e -> view(e, latencies)).toList();
  }

  private Map<Long, List<Integer>> latencies(List<Long> ids) {
    return checks == null ? Map.of() : checks.successfulLatencies(ids);
  }

  private ExitView view(ExitNodeEntity e, Map<Long, List<Integer>> latencies) {
    List<Integer> recent = latencies.getOrDefault(e.id, List.of());
    LatencyView latency =
        new LatencyView(
            e.latencyMs,
            e.latencyEwmaMs == null ? null : Math.round(e.latencyEwmaMs),
            Latency.percentile(recent, 50),
            Latency.percentile(recent, 95));
    List<String> pools =
        e.id == null ? List.of() : repo.poolsContaining(e).stream().map(p -> p.name).toList();
    return new ExitView(
        e.id,
        e.name,
        e.kind,
        e.host,
        e.port,
        e.username,
        e.upstreamUsernameTemplate,
        e.passwordEnc != null,
        e.localAddress,
        e.country,
        e.enabled,
        e.state.wireName(),
        pools,
        e.providerId,
        e.retired,
        e.expectedIp,
        e.actualIp,
        e.latencyMs,
        latency,
        e.slow,
        e.lastCheckedAt,
        e.lastVerifiedAt,
        e.lastError,
        e.checkUrl,
        e.createdAt,
        e.updatedAt);
  }
}
