package io.sluice.users.app;

import io.sluice.engine.policy.CidrPortList;
import io.sluice.engine.policy.SourceWhitelist;
import io.sluice.exits.app.PoolService;
import io.sluice.platform.crypto.Secrets;
import io.sluice.platform.crypto.ServerKeys;
import io.sluice.platform.db.Page;
import io.sluice.platform.problem.ApiException;
import io.sluice.users.domain.ProxyUser;
import io.sluice.users.domain.ProxyUserChanged;
import io.sluice.users.domain.ProxyUserChanged.Kind;
import io.sluice.users.domain.ProxyUserDeleting;
import io.sluice.users.domain.ProxyUserEntity;
import io.sluice.users.domain.ProxyUserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Proxy users: the accounts the SOCKS5/HTTP front door accepts. Passwords are generated (high
 * entropy), sealed with the server key, and compared in constant time by the front door; they are
 * never hashed slowly because they are checked on every connection.
 */
@ApplicationScoped
public class ProxyUserService {

  /** Letters, digits, dot and underscore: '-' separates routing parameters in proxy usernames. */
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._]{1,64}");

  public static final String SECRET_PURPOSE = "proxy-user-secret";
  private static final int PASSWORD_LENGTH = 24;

  @Inject ProxyUserRepository users;
  @Inject ServerKeys serverKeys;
  @Inject Event<ProxyUserChanged> changes;
  @Inject Event<ProxyUserDeleting> deleting;
  @Inject PoolService pools;

  /** A user together with a password that is shown to the caller once. */
  public record WithPassword(ProxyUser user, String password) {}

  /** The login of a user that may use the proxy now, password unsealed (for export lists). */
  public record Login(long userId, String username, String password) {}

  @Transactional
  public WithPassword create(ProxyUserSpec spec) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    if (!spec.has("username") || spec.username() == null) {
      errors.add(new ApiException.FieldError("username", "is required"));
    }
    validate(spec, errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    if (users.byUsername(spec.username()).isPresent()) {
      throw ApiException.conflict("a proxy user named '" + spec.username() + "' already exists");
    }
    Instant now = Instant.now();
    ProxyUserEntity e = new ProxyUserEntity();
    e.setUsername(spec.username());
    e.setEnabled(true);
    e.setCreatedAt(now);
    apply(spec, e);
    String password = Secrets.random(PASSWORD_LENGTH);
    e.setSecretEnc(serverKeys.box().sealString(SECRET_PURPOSE, password));
    users.insert(e);
    changes.fire(new ProxyUserChanged(e.getId(), e.getUsername(), Kind.CREATED, false));
    return new WithPassword(view(e), password);
  }

  @Transactional
  public Page<ProxyUser> list(String usernameFilter, int page, int size) {
    if (page < 0) {
      throw ApiException.validation("page", "must be 0 or greater");
    }
    if (size < 1 || size > 500) {
      throw ApiException.validation("size", "must be between 1 and 500");
    }
    String filter = usernameFilter == null || usernameFilter.isBlank() ? null : usernameFilter;
    List<ProxyUser> items = users.page(filter, page, size).stream().map(this::view).toList();
    return new Page<>(items, page, size, users.count(filter));
  }

  /** A user that uses a pool: as its default pool, or among the pools it may name. */
  public record PoolUse(long id, String username, boolean defaultPool) {}

  /**
   * The users of a pool (default pool, or allowed pools naming it), ordered by id; asked before the
   * pool is deleted.
   */
  @Transactional
  public List<PoolUse> usersOfPool(long poolId, String poolName) {
    List<PoolUse> uses = new ArrayList<>();
    for (ProxyUserEntity e : users.usingPool(poolId, poolName)) {
      boolean isDefault = Long.valueOf(poolId).equals(e.getDefaultPoolId());
      if (isDefault || split(e.getAllowedPools()).contains(poolName)) {
        uses.add(new PoolUse(e.getId(), e.getUsername(), isDefault));
      }
    }
    return uses;
  }

  @Transactional
  public ProxyUser get(long id) {
    return view(find(id));
  }

  @Transactional
  public ProxyUser update(long id, ProxyUserSpec spec) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    validate(spec, errors);
    if (spec.has("username")) {
      errors.add(
          new ApiException.FieldError("username", "cannot be changed; create a new user instead"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    ProxyUserEntity e = find(id);
    boolean wasEnabled = e.isEnabled();
    String oldSources = e.getAllowedSources();
    apply(spec, e);
    boolean cut =
        (wasEnabled && !e.isEnabled())
            || (e.getExpiresAt() != null && e.getExpiresAt().isBefore(Instant.now()))
            || !java.util.Objects.equals(oldSources, e.getAllowedSources());
    Kind kind =
        wasEnabled == e.isEnabled() ? Kind.UPDATED : (e.isEnabled() ? Kind.ENABLED : Kind.DISABLED);
    changes.fire(new ProxyUserChanged(e.getId(), e.getUsername(), kind, cut));
    return view(e);
  }

  @Transactional
  public ProxyUser setEnabled(long id, boolean enabled) {
    ProxyUserEntity e = find(id);
    e.setEnabled(enabled);
    e.setUpdatedAt(Instant.now());
    changes.fire(
        new ProxyUserChanged(
            id, e.getUsername(), enabled ? Kind.ENABLED : Kind.DISABLED, !enabled));
    return view(e);
  }

  @Transactional
  public void delete(long id) {
    ProxyUserEntity e = find(id);
    deleting.fire(new ProxyUserDeleting(id, e.getUsername()));
    users.delete(e);
    changes.fire(new ProxyUserChanged(id, e.getUsername(), Kind.DELETED, true));
  }

  @Transactional
  public WithPassword rotatePassword(long id) {
    ProxyUserEntity e = find(id);
    String password = Secrets.random(PASSWORD_LENGTH);
    e.setSecretEnc(serverKeys.box().sealString(SECRET_PURPOSE, password));
    e.setUpdatedAt(Instant.now());
    changes.fire(new ProxyUserChanged(id, e.getUsername(), Kind.PASSWORD_ROTATED, true));
    return new WithPassword(view(e), password);
  }

  @Transactional
  public WithPassword credentials(long id) {
    ProxyUserEntity e = find(id);
    return new WithPassword(view(e), serverKeys.box().openString(SECRET_PURPOSE, e.getSecretEnc()));
  }

  /** Logins of every enabled, unexpired user, ordered by id. */
  @Transactional
  public List<Login> usableLogins() {
    List<Login> out = new ArrayList<>();
    for (ProxyUserEntity e : users.enabled()) {
      if (e.getExpiresAt() != null && e.getExpiresAt().isBefore(Instant.now())) {
        continue;
      }
      out.add(
          new Login(
              e.getId(),
              e.getUsername(),
              serverKeys.box().openString(SECRET_PURPOSE, e.getSecretEnc())));
    }
    return out;
  }

  /** How many users there are, and how many may use the proxy now (enabled, not expired). */
  public record Counts(long total, long active) {}

  @Transactional
  public Counts counts() {
    return new Counts(users.count(null), users.countUsable(Instant.now()));
  }

  private ProxyUserEntity find(long id) {
    return users.byId(id).orElseThrow(() -> ApiException.notFound("proxy user " + id));
  }

  /** Field errors of a create or update request (empty when valid). */
  public static List<ApiException.FieldError> check(ProxyUserSpec s) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    validate(s, errors);
    return errors;
  }

  private static void validate(ProxyUserSpec s, List<ApiException.FieldError> errors) {
    if (s.has("username") && s.username() != null && !USERNAME.matcher(s.username()).matches()) {
      errors.add(
          new ApiException.FieldError(
              "username",
              "must be 1-64 letters, digits, '.' or '_' ('-' is reserved for routing parameters)"));
    }
    if (s.has("enabled") && s.enabled() == null) {
      errors.add(new ApiException.FieldError("enabled", "must be true or false"));
    }
    nonNegative(s, "maxConnections", s.maxConnections(), errors);
    nonNegative(s, "bandwidthUpBps", s.bandwidthUpBps(), errors);
    nonNegative(s, "bandwidthDownBps", s.bandwidthDownBps(), errors);
    nonNegative(s, "connectionsPerMinute", s.connectionsPerMinute(), errors);
    if (s.allowedSources() != null) {
      try {
        SourceWhitelist.parse(s.allowedSources());
      } catch (IllegalArgumentException e) {
        errors.add(new ApiException.FieldError("allowedSources", e.getMessage()));
      }
    }
    if (s.allowedClients() != null) {
      try {
        SourceWhitelist.parse(s.allowedClients());
      } catch (IllegalArgumentException e) {
        errors.add(new ApiException.FieldError("allowedClients", e.getMessage()));
      }
    }
    if (s.allowedDestinations() != null) {
      try {
        CidrPortList.parse(s.allowedDestinations());
      } catch (IllegalArgumentException e) {
        errors.add(new ApiException.FieldError("allowedDestinations", e.getMessage()));
      }
    }
    if (s.note() != null && s.note().length() > 500) {
      errors.add(new ApiException.FieldError("note", "must be at most 500 characters"));
    }
  }

  private static void nonNegative(
      ProxyUserSpec s, String field, Number value, List<ApiException.FieldError> errors) {
    if (s.has(field) && value != null && value.longValue() < 0) {
      errors.add(new ApiException.FieldError(field, "must be 0 (unlimited) or greater"));
    }
  }

  private void apply(ProxyUserSpec s, ProxyUserEntity e) {
    if (s.has("enabled") && s.enabled() != null) {
      e.setEnabled(s.enabled());
    }
    if (s.has("expiresAt")) {
      e.setExpiresAt(s.expiresAt());
    }
    if (s.has("maxConnections")) {
      e.setMaxConnections(orZero(s.maxConnections()));
    }
    if (s.has("bandwidthUpBps")) {
      e.setBandwidthUpBps(s.bandwidthUpBps() == null ? 0 : s.bandwidthUpBps());
    }
    if (s.has("bandwidthDownBps")) {
      e.setBandwidthDownBps(s.bandwidthDownBps() == null ? 0 : s.bandwidthDownBps());
    }
    if (s.has("connectionsPerMinute")) {
      e.setConnectionsPerMinute(orZero(s.connectionsPerMinute()));
    }
    if (s.has("allowedSources")) {
      e.setAllowedSources(join(s.allowedSources()));
    }
    if (s.has("allowedDestinations")) {
      e.setAllowedDestinations(join(s.allowedDestinations()));
    }
    if (s.has("note")) {
      e.setNote(s.note());
    }
    if (s.has("allowedClients")) {
      e.setAllowedClients(join(s.allowedClients()));
    }
    if (s.has("allowedPools")) {
      for (String name : s.allowedPools() == null ? List.<String>of() : s.allowedPools()) {
        pools.idOf("allowedPools", name);
      }
      e.setAllowedPools(join(s.allowedPools()));
    }
    if (s.has("defaultPool")) {
      e.setDefaultPoolId(pools.idOf("defaultPool", s.defaultPool()));
    }
    e.setUpdatedAt(Instant.now());
  }

  private static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  private static String join(List<String> list) {
    return list == null || list.isEmpty()
        ? null
        : String.join(",", list.stream().map(String::trim).toList());
  }

  static List<String> split(String joined) {
    return joined == null || joined.isBlank()
        ? List.of()
        : Arrays.stream(joined.split(",")).map(String::trim).toList();
  }

  ProxyUser view(ProxyUserEntity e) {
    String pool =
        e.getDefaultPoolId() == null ? null : pools.nameOf(e.getDefaultPoolId()).orElse(null);
    return new ProxyUser(
        e.getId(),
        e.getUsername(),
        e.isEnabled(),
        e.getExpiresAt(),
        e.getMaxConnections(),
        e.getBandwidthUpBps(),
        e.getBandwidthDownBps(),
        e.getConnectionsPerMinute(),
        split(e.getAllowedSources()),
        split(e.getAllowedDestinations()),
        e.getNote(),
        pool,
        split(e.getAllowedPools()),
        split(e.getAllowedClients()),
        e.getCreatedAt(),
        e.getUpdatedAt());
  }
}
