package io.sluice.exits.app;

import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.ExitRepository;
import io.sluice.exits.domain.ExitsChanged;
import io.sluice.exits.domain.ProviderEntity;
import io.sluice.exits.domain.selection.ExitState;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Providers: a commercial proxy service's host and port range, each port one sticky exit with its
 * own external IP. Creating a provider creates its exits; changing the range adds exits for new
 * ports and retires exits that fall outside it — deleting those that nothing uses, keeping (as
 * retired and disabled) those a dedicated assignment still points at, so assigned users are never
 * moved.
 */
@ApplicationScoped
public class ProviderService {

  public static final Set<String> FIELDS =
      Set.of(
          "name",
          "kind",
          "host",
          "portFrom",
          "portTo",
          "username",
          "upstreamUsernameTemplate",
          "password",
          "country",
          "checkUrl",
          "checksPerSecond",
          "pool");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final int MAX_RANGE = 20_000;

  @Inject ExitRepository repo;
  @Inject ServerKeys keys;
  @Inject Event<ExitsChanged> changed;

  /** A provider as the API shows it (no password). */
  public record ProviderView(
      long id,
      String name,
      String kind,
      String host,
      int portFrom,
      int portTo,
      String username,
      String upstreamUsernameTemplate,
      boolean hasPassword,
      String country,
      String checkUrl,
      int checksPerSecond,
      long exits,
      long retired,
      Instant createdAt,
      Instant updatedAt) {}

  @Transactional
  public ProviderView create(Map<String, Object> in) {
    ProviderEntity p = new ProviderEntity();
    p.checksPerSecond = 50;
    apply(p, in, true);
    if (repo.providerByName(p.name).isPresent()) {
      throw ApiException.conflict("a provider named '" + p.name + "' already exists");
    }
    p.createdAt = p.updatedAt = Instant.now();
    repo.insert(p);
    ExitPoolEntity pool = pool(in);
    syncExits(p, pool);
    changed.fire(new ExitsChanged("provider"));
    return view(p);
  }

  @Transactional
  public ProviderView update(long id, Map<String, Object> in) {
    ProviderEntity p = find(id);
    apply(p, in, false);
    p.updatedAt = Instant.now();
    syncExits(p, pool(in));
    changed.fire(new ExitsChanged("provider"));
    return view(p);
  }

  @Transactional
  public ProviderView get(long id) {
    return view(find(id));
  }

  @Transactional
  public List<ProviderView> list() {
    return repo.providers().stream().map(this::view).toList();
  }

  @Transactional
  public void delete(long id) {
    ProviderEntity p = find(id);
    for (ExitNodeEntity e : repo.exitsOfProvider(id)) {
      if (repo.assigned(e.id)) {
        throw ApiException.conflict(
            "exit "
                + e.name
                + " of this provider is assigned to a dedicated port; "
                + "release the assignment first");
      }
    }
    List<ExitNodeEntity> exits = repo.exitsOfProvider(id);
    // out of every pool in one pass over the pools: a pool query per exit would flush every
    // deletion so far before each one, quadratic in the range (10,000 exits ran past the
    // transaction timeout)
    java.util.Set<Long> ids = new java.util.HashSet<>();
    exits.forEach(e -> ids.add(e.id));
    for (ExitPoolEntity pool : repo.pools()) {
      pool.members.removeIf(m -> ids.contains(m.id));
    }
    for (ExitNodeEntity e : exits) {
      repo.delete(e);
    }
    repo.delete(p);
    changed.fire(new ExitsChanged("provider"));
  }

  /** Makes the provider's exits match its range and settings. */
  private void syncExits(ProviderEntity p, ExitPoolEntity pool) {
    Map<Integer, ExitNodeEntity> byPort = new HashMap<>();
    for (ExitNodeEntity e : repo.exitsOfProvider(p.id)) {
      byPort.put(e.port, e);
    }
    Instant now = Instant.now();
    // the names taken, read once: a query per port would flush the persistence context (with
    // every exit inserted so far) before each one, quadratic in the range (10,000 ports took
    // longer than the transaction timeout)
    java.util.Set<String> taken = new java.util.HashSet<>();
    if (byPort.size() < p.portTo - p.portFrom + 1) {
      repo.allExits().forEach(x -> taken.add(x.name));
    }
    for (int port = p.portFrom; port <= p.portTo; port++) {
      ExitNodeEntity e = byPort.remove(port);
      if (e == null) {
        if (taken.contains(p.name + ":" + port)) {
          throw ApiException.conflict("an exit named '" + p.name + ":" + port + "' already exists");
        }
        e = new ExitNodeEntity();
        e.name = p.name + ":" + port;
        e.providerId = p.id;
        e.port = port;
        e.state = ExitState.HEALTHY;
        e.enabled = true;
        e.createdAt = now;
        copy(p, e, now);
        repo.insert(e);
      } else {
        e.retired = false;
        copy(p, e, now);
      }
      if (pool != null) {
        pool.members.add(e);
      }
    }
    for (ExitNodeEntity outside : byPort.values()) {
      if (repo.assigned(outside.id)) {
        // Kept as it is for the user whose dedicated port is pinned to it (still routable), but
        // taken out of every pool so no new session or assignment lands on it.
        outside.retired = true;
        outside.updatedAt = now;
        for (ExitPoolEntity member : repo.poolsContaining(outside)) {
          member.members.remove(outside);
        }
      } else {
        for (ExitPoolEntity member : repo.poolsContaining(outside)) {
          member.members.remove(outside);
        }
        repo.delete(outside);
      }
    }
  }

  private static void copy(ProviderEntity p, ExitNodeEntity e, Instant now) {
    e.kind = p.kind;
    e.host = p.host;
    e.username = p.username;
    e.upstreamUsernameTemplate = p.upstreamUsernameTemplate;
    e.passwordEnc = p.passwordEnc;
    e.country = p.country;
    e.checkUrl = p.checkUrl;
    e.updatedAt = now;
  }

  private ExitPoolEntity pool(Map<String, Object> in) {
    String name = (String) in.get("pool");
    if (name == null) {
      return null;
    }
    return repo.poolByName(name)
        .orElseThrow(() -> ApiException.validation("pool", "no pool named '" + name + "'"));
  }

  private ProviderEntity find(long id) {
    return repo.provider(id).orElseThrow(() -> ApiException.notFound("provider " + id));
  }

  private void apply(ProviderEntity p, Map<String, Object> in, boolean creating) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    if (in.containsKey("name") || creating) {
      String name = (String) in.get("name");
      if (name == null || !NAME.matcher(name).matches()) {
        errors.add(new ApiException.FieldError("name", "is required: 1-64 letters, digits, . _ -"));
      } else if (!creating && !name.equals(p.name)) {
        errors.add(
            new ApiException.FieldError("name", "cannot be changed (exit names derive from it)"));
      } else {
        p.name = name;
      }
    }
    if (in.containsKey("kind") || creating) {
      String kind = (String) in.get("kind");
      if (!"socks5".equals(kind) && !"http".equals(kind)) {
        errors.add(new ApiException.FieldError("kind", "must be one of: socks5, http"));
      } else {
        p.kind = kind;
      }
    }
    if (in.containsKey("host") || creating) {
      String host = (String) in.get("host");
      if (host == null || !host.matches("[A-Za-z0-9.:\\[\\]-]{1,255}")) {
        errors.add(new ApiException.FieldError("host", "is required: a host name or IP address"));
      } else {
        p.host = host;
      }
    }
    Long from =
        in.containsKey("portFrom")
            ? (Long) in.get("portFrom")
            : (creating ? null : (long) p.portFrom);
    Long to =
        in.containsKey("portTo") ? (Long) in.get("portTo") : (creating ? null : (long) p.portTo);
    if (from == null || to == null || from < 1 || to > 65535 || from > to) {
      errors.add(
          new ApiException.FieldError(
              "portFrom", "portFrom and portTo are required, 1 <= portFrom <= portTo <= 65535"));
    } else if (to - from + 1 > MAX_RANGE) {
      errors.add(
          new ApiException.FieldError(
              "portTo", "a provider may have at most " + MAX_RANGE + " ports"));
    } else {
      p.portFrom = from.intValue();
      p.portTo = to.intValue();
    }
    if (in.containsKey("username")) {
      p.username = (String) in.get("username");
    }
    if (in.containsKey(UpstreamSessions.FIELD)) {
      String kind = in.get("kind") instanceof String k ? k : p.kind;
      String t = UpstreamSessions.checkTemplate(in.get(UpstreamSessions.FIELD), kind, errors);
      if (in.get(UpstreamSessions.FIELD) == null || t != null) {
        p.upstreamUsernameTemplate = t;
      }
    }
    if (in.containsKey("password")) {
      String pw = (String) in.get("password");
      p.passwordEnc =
          pw == null || pw.isEmpty()
              ? null
              : keys.box().sealString(ExitService.PASSWORD_PURPOSE, pw);
    }
    if (in.containsKey("country")) {
      String c =
          in.get("country") == null
              ? null
              : ((String) in.get("country")).toLowerCase(java.util.Locale.ROOT);
      if (c != null && !c.matches("[a-z]{2}")) {
        errors.add(
            new ApiException.FieldError("country", "must be an ISO 3166 alpha-2 code such as de"));
      } else {
        p.country = c;
      }
    }
    if (in.containsKey("checkUrl")) {
      String url = (String) in.get("checkUrl");
      if (url != null && !url.matches("https?://\\S{1,1990}")) {
        errors.add(
            new ApiException.FieldError(
                "checkUrl", "must be an http:// or https:// URL of an IP echo"));
      } else {
        p.checkUrl = url;
      }
    }
    if (in.containsKey("checksPerSecond")) {
      Long rate = (Long) in.get("checksPerSecond");
      if (rate == null || rate < 1 || rate > 10_000) {
        errors.add(new ApiException.FieldError("checksPerSecond", "must be between 1 and 10000"));
      } else {
        p.checksPerSecond = rate.intValue();
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
  }

  private ProviderView view(ProviderEntity p) {
    List<ExitNodeEntity> exits = repo.exitsOfProvider(p.id);
    long retired = exits.stream().filter(e -> e.retired).count();
    return new ProviderView(
        p.id,
        p.name,
        p.kind,
        p.host,
        p.portFrom,
        p.portTo,
        p.username,
        p.upstreamUsernameTemplate,
        p.passwordEnc != null,
        p.country,
        p.checkUrl,
        p.checksPerSecond,
        exits.size() - retired,
        retired,
        p.createdAt,
        p.updatedAt);
  }
}
