package io.sluice.vms.app;

import io.sluice.exits.app.DedicatedPortService;
import io.sluice.platform.db.Page;
import io.sluice.platform.problem.ApiException;
import io.sluice.users.app.ProxyEnvService;
import io.sluice.users.app.ProxyUserService;
import io.sluice.users.domain.ProxyUserDeleting;
import io.sluice.vms.domain.Allocated;
import io.sluice.vms.domain.BootArgs;
import io.sluice.vms.domain.VmChanged;
import io.sluice.vms.domain.VmEntity;
import io.sluice.vms.domain.VmFilter;
import io.sluice.vms.domain.VmRepository;
import io.sluice.vms.domain.VmSessionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * VMs: creation allocates an IPv4 address (and a dedicated IPv6 one when asked) from the address
 * pools and gets or assigns the owner's dedicated proxy port, which stays with the user across VMs;
 * deletion releases the addresses into quarantine (never the port). A VM is {@code active} or
 * {@code stopped}; stopping it ends its open sessions.
 */
@ApplicationScoped
public class VmService {

  private static final Logger LOG = System.getLogger(VmService.class.getName());
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  static final Set<String> TYPES = Set.of(VmEntity.TYPE_CLI, VmEntity.TYPE_BROWSER);
  static final Set<String> STATES = Set.of(VmEntity.STATE_ACTIVE, VmEntity.STATE_STOPPED);

  @Inject VmRepository vms;
  @Inject VmSessionRepository sessions;
  @Inject AddressPoolService pools;
  @Inject ProxyUserService users;
  @Inject DedicatedPortService dedicated;
  @Inject ProxyEnvService proxyEnv;
  @Inject Event<VmChanged> changed;

  /**
   * A VM to create.
   *
   * @param name {@code null}: {@code <type>-<id>}
   * @param pool the IPv4 pool by name ({@code null}: the first IPv4 pool)
   * @param ipv6 whether the VM gets a dedicated IPv6 address (from the first IPv6 pool)
   */
  public record NewVm(long userId, String type, String name, String pool, boolean ipv6) {}

  /**
   * A VM as the API shows it. {@code gateway} and {@code prefixLength} are the IPv4 ones; {@code
   * bootArgs} is the kernel's {@code ip=} line; {@code proxyEnv} (with the user's proxy password)
   * is only filled in by {@link #create} and {@link #config}.
   */
  public record Vm(
      long id,
      long userId,
      String name,
      String type,
      String state,
      String ipv4,
      String ipv6,
      String gateway,
      int prefixLength,
      String ipv6Gateway,
      Integer ipv6PrefixLength,
      long ipv4PoolId,
      Long ipv6PoolId,
      Integer dedicatedPort,
      String bootArgs,
      Map<String, String> proxyEnv,
      Instant createdAt,
      Instant updatedAt) {}

  @Transactional
  public Vm create(NewVm req) {
    validate(req);
    users.get(req.userId()); // 404 when there is no such user
    long id = vms.nextId();
    Allocated v4 = allocateIpv4(req.pool(), id);
    Allocated v6 = req.ipv6() ? allocateIpv6(id) : null;
    int port = dedicated.getOrAssign(req.userId()).assignment().port();
    Instant now = Instant.now();
    VmEntity e = new VmEntity();
    e.id = id;
    e.userId = req.userId();
    e.name = req.name() == null ? req.type() + "-" + id : req.name();
    e.vmType = req.type();
    e.state = VmEntity.STATE_ACTIVE;
    e.ipv4PoolId = v4.poolId();
    e.ipv4Address = v4.address();
    e.ipv4PrefixLength = v4.prefixLength();
    e.ipv4Gateway = v4.gateway();
    if (v6 != null) {
      e.ipv6PoolId = v6.poolId();
      e.ipv6Address = v6.address();
      e.ipv6PrefixLength = v6.prefixLength();
      e.ipv6Gateway = v6.gateway();
    }
    e.createdAt = now;
    e.updatedAt = now;
    vms.insert(e);
    LOG.log(
        Level.INFO,
        "SLUICE0560I: VM {0} ({1}) created for user {2}: {3}{4}, proxy port {5}",
        new Object[] {
          id, e.vmType, e.userId, e.ipv4Address, v6 == null ? "" : " " + v6.address(), port
        });
    changed.fire(new VmChanged(id, "created"));
    return view(e, port, proxyEnv.env(e.userId));
  }

  /** Releases the VM's addresses into quarantine and deletes it; the user keeps the port. */
  @Transactional
  public void delete(long id) {
    VmEntity e = find(id, true);
    sessions.endOpen(id, Instant.now());
    pools.release(e.ipv4PoolId, e.ipv4Address, id);
    if (e.ipv6PoolId != null) {
      pools.release(e.ipv6PoolId, e.ipv6Address, id);
    }
    vms.delete(e);
    changed.fire(new VmChanged(id, "deleted"));
    LOG.log(
        Level.INFO,
        "SLUICE0561I: VM {0} deleted; released {1}{2}",
        new Object[] {id, e.ipv4Address, e.ipv6Address == null ? "" : " " + e.ipv6Address});
  }

  /**
   * A proxy user is being deleted: its VMs end their sessions, release their addresses into
   * quarantine and go, in the deleting transaction (the VM rows would otherwise vanish with the
   * user by cascade and leave their addresses held).
   */
  void userDeleting(@Observes ProxyUserDeleting deleting) {
    VmFilter mine = new VmFilter(deleting.userId(), null, null);
    List<VmEntity> held = vms.page(mine, 0, Integer.MAX_VALUE);
    for (VmEntity e : held) {
      delete(e.id);
    }
    if (!held.isEmpty()) {
      LOG.log(
          Level.INFO,
          "SLUICE0565I: released {0} VM(s) of deleted proxy user {1}",
          new Object[] {held.size(), deleting.username()});
    }
  }

  @Transactional
  public Vm get(long id) {
    VmEntity e = find(id, false);
    return view(e, port(e.userId), null);
  }

  /** The VM with the proxy env its user's machines need (carries the proxy password). */
  @Transactional
  public Vm config(long id) {
    VmEntity e = find(id, false);
    return view(e, port(e.userId), proxyEnv.env(e.userId));
  }

  @Transactional
  public Page<Vm> list(VmFilter filter, int page, int size) {
    if (page < 0) {
      throw ApiException.validation("page", "must be 0 or greater");
    }
    if (size < 1 || size > 500) {
      throw ApiException.validation("size", "must be between 1 and 500");
    }
    checkIn("type", filter.type(), TYPES);
    checkIn("state", filter.state(), STATES);
    List<VmEntity> rows = vms.page(filter, page, size);
    Map<Long, Integer> ports = new HashMap<>();
    if (!rows.isEmpty()) {
      dedicated.all().forEach(a -> ports.put(a.userId(), a.port()));
    }
    List<Vm> items = rows.stream().map(e -> view(e, ports.get(e.userId), null)).toList();
    return new Page<>(items, page, size, vms.count(filter));
  }

  /** Sets the state ({@code active} or {@code stopped}); stopping ends the open sessions. */
  @Transactional
  public Vm setState(long id, String state) {
    checkIn("state", state, STATES);
    VmEntity e = find(id, true);
    if (!e.state.equals(state)) {
      Instant now = Instant.now();
      if (state.equals(VmEntity.STATE_STOPPED)) {
        sessions.endOpen(id, now);
      }
      e.state = state;
      e.updatedAt = now;
      changed.fire(new VmChanged(id, "state"));
    }
    return view(e, port(e.userId), null);
  }

  private Allocated allocateIpv4(String pool, long vmId) {
    try {
      return pools.allocate(pool, 4, null, vmId);
    } catch (ApiException e) {
      if (pool == null && !hasPool(4, e)) {
        throw ApiException.conflict(
            "there is no IPv4 address pool to take the VM's address from; "
                + "create one with POST /api/v1/address-pools");
      }
      throw e;
    }
  }

  private Allocated allocateIpv6(long vmId) {
    try {
      return pools.allocate(null, 6, null, vmId);
    } catch (ApiException e) {
      if (!hasPool(6, e)) {
        throw ApiException.conflict(
            "ipv6 was requested but there is no IPv6 address pool; create one (family 6) "
                + "or create the VM without ipv6");
      }
      if ("pool-exhausted".equals(e.type())) {
        throw ApiException.poolExhausted(
            "ipv6 was requested but the IPv6 pool has no free address: " + e.getMessage());
      }
      throw e;
    }
  }

  /**
   * Whether a pool of the family exists, asked only after an allocation without a pool name failed;
   * when the pools cannot be listed, a 404 from the allocator means none.
   */
  private boolean hasPool(int family, ApiException failure) {
    try {
      return pools.usage().stream().anyMatch(p -> p.family() == family);
    } catch (RuntimeException e) {
      return failure.status() != 404;
    }
  }

  private static void validate(NewVm req) {
    List<ApiException.FieldError> errors = new java.util.ArrayList<>();
    if (req.type() == null || !TYPES.contains(req.type())) {
      errors.add(new ApiException.FieldError("type", "is required: cli or browser"));
    }
    if (req.name() != null && !NAME.matcher(req.name()).matches()) {
      errors.add(new ApiException.FieldError("name", "must be 1-64 letters, digits, . _ -"));
    }
    if (req.pool() != null && req.pool().isBlank()) {
      errors.add(new ApiException.FieldError("pool", "must not be blank"));
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
  }

  static void checkIn(String field, String value, Set<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      throw ApiException.validation(
          field, "must be one of " + String.join(", ", allowed.stream().sorted().toList()));
    }
  }

  private VmEntity find(long id, boolean lock) {
    return (lock ? vms.lock(id) : vms.byId(id))
        .orElseThrow(() -> ApiException.notFound("VM " + id));
  }

  private Integer port(long userId) {
    return dedicated.get(userId).map(DedicatedPortService.Assignment::port).orElse(null);
  }

  static Vm view(VmEntity e, Integer port, Map<String, String> env) {
    return new Vm(
        e.id,
        e.userId,
        e.name,
        e.vmType,
        e.state,
        e.ipv4Address,
        e.ipv6Address,
        e.ipv4Gateway,
        e.ipv4PrefixLength,
        e.ipv6Gateway,
        e.ipv6PrefixLength,
        e.ipv4PoolId,
        e.ipv6PoolId,
        port,
        BootArgs.ipLine(e.ipv4Address, e.ipv4Gateway, e.ipv4PrefixLength),
        env,
        e.createdAt,
        e.updatedAt);
  }
}
