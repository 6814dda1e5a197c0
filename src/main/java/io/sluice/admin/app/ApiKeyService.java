package io.sluice.admin.app;

import io.sluice.admin.domain.ApiKeyRepository;
import io.sluice.admin.domain.ApiKeyRepository.StoredKey;
import io.sluice.platform.problem.ApiException;
import io.sluice.platform.web.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * API keys of automation clients (service accounts). A key is a JWT signed by {@link JwtService}
 * with subject {@code key:<name>}, the key's scoped role as its only group and the key id as {@code
 * jti}; it is returned once by {@link #create} and only its SHA-256 hash is stored. Every request
 * made with a key is checked against the table ({@link #resolve}, cached for at most 5 seconds,
 * dropped from this node's cache at once on revocation), so a revoked or expired key is refused
 * although its signature is still valid.
 */
@ApplicationScoped
public class ApiKeyService {

  private static final Logger LOG = System.getLogger(ApiKeyService.class.getName());

  /** Subject (and so principal name and audit actor) prefix of API key tokens. */
  public static final String SUBJECT_PREFIX = "key:";

  /** The roles a key may have: scoped roles only, never admin or viewer. */
  public static final Set<String> SCOPED_ROLES = Set.of(Roles.ORCHESTRATOR);

  /** Longest lifetime a key may be given. */
  static final Duration MAX_LIFETIME = Duration.ofDays(5 * 366);

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{3,64}");
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
  private static final int CACHE_MAX = 10_000;

  @Inject ApiKeyRepository keys;
  @Inject JwtService jwt;

  @Inject
  @ConfigProperty(name = "sluice.api.key-default-days", defaultValue = "365")
  long defaultDays;

  Clock clock = Clock.systemUTC();
  long cacheNanos = 5_000_000_000L;

  private record Cached(Optional<StoredKey> key, long checkedAtNanos) {}

  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /**
   * Keys revoked through this node. Refused from the moment of the revocation, before its
   * transaction commits, so a request racing the commit cannot cache the key as usable again.
   */
  private final Set<Long> revokedHere = ConcurrentHashMap.newKeySet();

  /** Read model of a key (never the token, never its hash). */
  public record ApiKeyView(
      long id,
      String name,
      String role,
      String actor,
      String createdBy,
      Instant createdAt,
      Instant expiresAt,
      Instant revokedAt,
      Instant lastUsedAt,
      boolean active) {}

  /** A new key and its token, which is shown this once. */
  public record Created(ApiKeyView key, String token) {}

  /** A key that may be used now. */
  public record ActiveKey(long id, String name, String role) {

    /** The principal name and audit actor of the key's calls: {@code key:<name>}. */
    public String actor() {
      return SUBJECT_PREFIX + name;
    }
  }

  /** True when {@code principalName} is an API key's (admin names cannot contain ':'). */
  public static boolean isKeySubject(String principalName) {
    return principalName != null && principalName.startsWith(SUBJECT_PREFIX);
  }

  /**
   * Creates a key. {@code expiresAt} null: {@code sluice.api.key-default-days} (365) from now;
   * otherwise it must lie in the future and at most 5 years ahead.
   */
  @Transactional
  public Created create(String name, String role, Instant expiresAt, String createdBy) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ApiException.validation("name", "3 to 64 characters: letters, digits, '.', '_', '-'");
    }
    if (role == null || !SCOPED_ROLES.contains(role)) {
      throw ApiException.validation("role", "must be one of " + SCOPED_ROLES);
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expires =
        expiresAt == null
            ? now.plus(Duration.ofDays(Math.max(1, defaultDays)))
            : expiresAt.truncatedTo(ChronoUnit.SECONDS);
    if (!expires.isAfter(now)) {
      throw ApiException.validation("expiresAt", "must be in the future");
    }
    if (expires.isAfter(now.plus(MAX_LIFETIME))) {
      throw ApiException.validation("expiresAt", "must be at most 5 years ahead");
    }
    if (keys.byName(name).isPresent()) {
      throw ApiException.conflict(
          "an API key named '" + name + "' exists (names of revoked keys stay taken)");
    }
    long id = keys.nextId();
    String token = jwt.issueApiKey(SUBJECT_PREFIX + name, role, "apikey-" + id, expires);
    StoredKey stored =
        new StoredKey(id, name, role, hash(token), createdBy, now, expires, null, null);
    keys.insert(stored);
    LOG.log(
        Level.INFO,
        "SLUICE0530I: API key {0} (id {1}, role {2}, expires {3}) created by {4}",
        name,
        id,
        role,
        expires,
        createdBy);
    return new Created(view(stored), token);
  }

  /** Every key, revoked ones included, newest first. */
  public List<ApiKeyView> list() {
    return keys.list().stream().map(this::view).toList();
  }

  /** Revokes a key: its next request is refused (at once on this node, within 5 s on others). */
  @Transactional
  public ApiKeyView revoke(long id, String revokedBy) {
    StoredKey key = keys.byId(id).orElseThrow(() -> ApiException.notFound("API key " + id));
    Instant now = clock.instant();
    revokedHere.add(id);
    if (keys.revoke(id, now)) {
      LOG.log(
          Level.INFO,
          "SLUICE0531I: API key {0} (id {1}) revoked by {2}",
          key.name(),
          id,
          revokedBy);
    }
    cache.entrySet().removeIf(e -> e.getValue().key().map(k -> k.id() == id).orElse(false));
    return view(keys.byId(id).orElse(key));
  }

  /**
   * The usable key whose token is {@code authorization} ({@code Bearer <token>} or the bare token);
   * empty for anything else, including interactive tokens, forged tokens (the signature is checked
   * before any look-up), unknown, revoked and expired keys.
   */
  public Optional<ActiveKey> resolve(String authorization) {
    String token = bearer(authorization);
    if (token == null) {
      return Optional.empty();
    }
    Optional<String> subject = jwt.verifiedSubject(token);
    if (subject.isEmpty() || !isKeySubject(subject.get())) {
      return Optional.empty();
    }
    String hash = hash(token);
    long nowNanos = System.nanoTime();
    Cached c = cache.get(hash);
    if (c == null || nowNanos - c.checkedAtNanos() >= cacheNanos) {
      c = new Cached(keys.byTokenHash(hash), nowNanos);
      if (cache.size() >= CACHE_MAX) {
        cache.clear();
      }
      cache.put(hash, c);
      c.key().ifPresent(this::touchIfDue);
    }
    Instant now = clock.instant();
    return c.key()
        .filter(k ->
            k.usableAt(now)
                && !revokedHere.contains(k.id())
                && subject.get().equals(SUBJECT_PREFIX + k.name()))
        .map(k -> new ActiveKey(k.id(), k.name(), k.role()));
  }

  /** True when {@code authorization} carries a usable key whose principal is {@code actor}. */
  public boolean isActive(String authorization, String actor) {
    return resolve(authorization).filter(k -> k.actor().equals(actor)).isPresent();
  }

  /** Hex SHA-256 of a token, the only form in which tokens are stored. */
  static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void touchIfDue(StoredKey k) {
    Instant now = clock.instant();
    if (!k.usableAt(now)
        || (k.lastUsedAt() != null && k.lastUsedAt().plus(TOUCH_EVERY).isAfter(now))) {
      return;
    }
    try {
      keys.touch(k.id(), now);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "SLUICE0532W: cannot record the use of API key {0}: {1}",
          k.name(),
          e.getMessage());
    }
  }

  private static String bearer(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return null;
    }
    String a = authorization.strip();
    if (a.regionMatches(true, 0, "Bearer ", 0, 7)) {
      a = a.substring(7).strip();
    }
    return a.isEmpty() ? null : a;
  }

  private ApiKeyView view(StoredKey k) {
    return new ApiKeyView(
        k.id(),
        k.name(),
        k.role(),
        SUBJECT_PREFIX + k.name(),
        k.createdBy(),
        k.createdAt(),
        k.expiresAt(),
        k.revokedAt(),
        k.lastUsedAt(),
        k.usableAt(clock.instant()));
  }
}
