package io.sluice.exits.app;

import io.sluice.exits.domain.DedicatedAssignmentEntity;
import io.sluice.exits.domain.DedicatedRepository;
import io.sluice.exits.domain.ExitNodeEntity;
import io.sluice.exits.domain.ExitPoolEntity;
import io.sluice.exits.domain.ExitRepository;
import io.sluice.exits.domain.ExitsChanged;
import io.sluice.exits.domain.UserDefaultPools;
import io.sluice.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Pools of exits: name, strategy, members, fallback pool and sticky-session lifetime. */
@ApplicationScoped
public class PoolService {

  public static final List<String> STRATEGIES =
      List.of(
          "sticky",
          "round-robin",
          "random",
          "least-connections",
          "least-latency",
          "hash-destination");
  public static final Set<String> FIELDS =
      Set.of("name", "strategy", "fallbackPool", "stickyTtlMinutes", "exits");
  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,64}");

  /** How many users (and dedicated ports) a 409 on delete lists. */
  static final int LISTED = 20;

  private static final Logger LOG = System.getLogger(PoolService.class.getName());

  @Inject ExitRepository repo;
  @Inject Event<ExitsChanged> changed;
  @Inject UserDefaultPools users;
  @Inject DedicatedRepository dedicated;

  /** A pool as the API shows it. */
  public record PoolView(
      long id,
      String name,
      String strategy,
      String fallbackPool,
      int stickyTtlMinutes,
      List<Long> exits,
      Instant createdAt,
      Instant updatedAt) {}

  @Transactional
  public PoolView create(Map<String, Object> in) {
    ExitPoolEntity p = new ExitPoolEntity();
    p.strategy = "round-robin";
    p.stickyTtlMinutes = 30;
    apply(p, in, true);
    if (repo.poolByName(p.name).isPresent()) {
      throw ApiException.conflict("a pool named '" + p.name + "' already exists");
    }
    p.createdAt = p.updatedAt = Instant.now();
    repo.insert(p);
    changed.fire(new ExitsChanged("pool"));
    return view(p);
  }

  @Transactional
  public PoolView update(long id, Map<String, Object> in) {
    ExitPoolEntity p = find(id);
    apply(p, in, false);
    p.updatedAt = Instant.now();
    changed.fire(new ExitsChanged("pool"));
    return view(p);
  }

  @Transactional
  public PoolView get(long id) {
    return view(find(id));
  }

  @Transactional
  public List<PoolView> list() {
    return repo.pools().stream().map(PoolService::view).toList();
  }

  /**
   * Deletes a pool. A pool that users (default or allowed pool) or their dedicated ports use is
   * kept with a 409 {@code pool-in-use} listing them (at most {@value #LISTED} of each), unless
   * {@code force}: then those users keep the deleted pool's id and their sessions are refused
   * (naming the pool) until they get another; nothing falls back to leaving directly.
   */
  @Transactional
  public void delete(long id, boolean force) {
    ExitPoolEntity p = find(id);
    List<UserDefaultPools.PoolUser> using = users.usersOfPool(p.id, p.name);
    Set<Long> byDefault = new java.util.HashSet<>();
    using.stream()
        .filter(UserDefaultPools.PoolUser::defaultPool)
        .forEach(u -> byDefault.add(u.id()));
    List<DedicatedAssignmentEntity> ports =
        dedicated.all().stream().filter(a -> byDefault.contains(a.userId)).toList();
    if (!using.isEmpty() && !force) {
      List<ApiException.FieldError> listed = new ArrayList<>();
      using.stream()
          .limit(LISTED)
          .forEach(u ->
              listed.add(
                  new ApiException.FieldError(
                      "users",
                      u.username()
                          + " (id "
                          + u.id()
                          + (u.defaultPool() ? ", default pool)" : ", allowed pool)"))));
      ports.stream()
          .limit(LISTED)
          .forEach(a ->
              listed.add(
                  new ApiException.FieldError(
                      "dedicatedPorts", a.port + " (user id " + a.userId + ")")));
      throw new ApiException(
          409,
          "pool-in-use",
          "Pool in use",
          "pool "
              + p.name
              + " is used by "
              + using.size()
              + " user(s) and "
              + ports.size()
              + " dedicated port(s): "
              + String.join(
                  ", ",
                  using.stream().limit(LISTED).map(UserDefaultPools.PoolUser::username).toList())
              + (using.size() > LISTED ? ", ..." : "")
              + "; change them first or delete with ?force=true",
          listed);
    }
    for (ExitPoolEntity other : repo.pools()) {
      if (other.fallback != null && other.fallback.id.equals(p.id)) {
        other.fallback = null;
      }
    }
    repo.delete(p);
    if (!using.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "SLUICE0645W: pool {0} (id {1}) deleted with force; {2} user(s) that used it are refused"
              + " until given another pool: {3}",
          new Object[] {
            p.name,
            p.id,
            using.size(),
            String.join(", ", using.stream().limit(LISTED).map(u -> u.username()).toList())
          });
    }
    changed.fire(new ExitsChanged("pool"));
  }

  /** The id of the pool with this name, or a validation error naming {@code field}. */
  @Transactional
  public Long idOf(String field, String name) {
    if (name == null) {
      return null;
    }
    return repo.poolByName(name)
        .map(p -> p.id)
        .orElseThrow(() -> ApiException.validation(field, "no pool named '" + name + "'"));
  }

  /** The name of the pool with this id, if it exists (for users: a user's default pool). */
  @Transactional
  public java.util.Optional<String> nameOf(long id) {
    return repo.pool(id).map(p -> p.name);
  }

  /** Whether a pool with this name exists (for exports: a link's pool). */
  @Transactional
  public boolean exists(String name) {
    return repo.poolByName(name).isPresent();
  }

  private ExitPoolEntity find(long id) {
    return repo.pool(id).orElseThrow(() -> ApiException.notFound("pool " + id));
  }

  @SuppressWarnings("unchecked")
  private void apply(ExitPoolEntity p, Map<String, Object> in, boolean creating) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    if (in.containsKey("name") || creating) {
      String name = (String) in.get("name");
      if (name == null || !NAME.matcher(name).matches()) {
        errors.add(
            new ApiException.FieldError(
                "name", "is required: 1-64 lower-case letters, digits or '_'"));
      } else {
        p.name = name;
      }
    }
    if (in.containsKey("strategy")) {
      String s = (String) in.get("strategy");
      if (s == null || !STRATEGIES.contains(s)) {
        errors.add(
            new ApiException.FieldError(
                "strategy", "must be one of: " + String.join(", ", STRATEGIES)));
      } else {
        p.strategy = s;
      }
    }
    if (in.containsKey("stickyTtlMinutes")) {
      Long ttl = (Long) in.get("stickyTtlMinutes");
      if (ttl == null || ttl < 1 || ttl > 1440) {
        errors.add(new ApiException.FieldError("stickyTtlMinutes", "must be between 1 and 1440"));
      } else {
        p.stickyTtlMinutes = ttl.intValue();
      }
    }
    if (in.containsKey("fallbackPool")) {
      String fb = (String) in.get("fallbackPool");
      if (fb == null) {
        p.fallback = null;
      } else {
        var target = repo.poolByName(fb);
        if (target.isEmpty()) {
          errors.add(new ApiException.FieldError("fallbackPool", "no pool named '" + fb + "'"));
        } else if (fb.equals(p.name)) {
          errors.add(
              new ApiException.FieldError("fallbackPool", "a pool cannot fall back to itself"));
        } else {
          p.fallback = target.get();
        }
      }
    }
    if (in.containsKey("exits")) {
      List<Long> ids = (List<Long>) in.get("exits");
      Set<ExitNodeEntity> members = new LinkedHashSet<>();
      for (Long id : ids == null ? List.<Long>of() : ids) {
        repo.exit(id)
            .ifPresentOrElse(
                members::add,
                () -> errors.add(new ApiException.FieldError("exits", "no exit with id " + id)));
      }
      p.members = members;
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
  }

  static PoolView view(ExitPoolEntity p) {
    return new PoolView(
        p.id,
        p.name,
        p.strategy,
        p.fallback == null ? null : p.fallback.name,
        p.stickyTtlMinutes,
        p.members.stream().map(e -> e.id).sorted().toList(),
        p.createdAt,
        p.updatedAt);
  }
}
