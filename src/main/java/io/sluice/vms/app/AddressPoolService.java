package io.sluice.vms.app;

import io.sluice.platform.problem.ApiException;
import io.sluice.vms.domain.AddressPool;
import io.sluice.vms.domain.AddressPoolRepository;
import io.sluice.vms.domain.Allocated;
import io.sluice.vms.domain.AllocationException;
import io.sluice.vms.domain.AllocationStore;
import io.sluice.vms.domain.PoolAllocator;
import io.sluice.vms.domain.PoolPrefix;
import io.sluice.vms.domain.PoolUsage;
import io.sluice.vms.domain.Reserved;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Address pools: create, grow (add prefixes, a supernet replaces the prefixes it covers), shrink
 * (remove a prefix without allocations), delete; allocation and release for VMs; usage for stats.
 * Every change of a pool holds its row lock ({@link AddressPoolRepository#lock}), so allocations of
 * one pool are serialised across threads and nodes. Prefixes of different pools may not overlap.
 */
@ApplicationScoped
public class AddressPoolService {

  private static final System.Logger LOG = System.getLogger(AddressPoolService.class.getName());

  /** Reuse hold of a new pool unless given: 5 minutes. */
  public static final long DEFAULT_HOLD_SECONDS = 300;

  @Inject AddressPoolRepository pools;
  @Inject AllocationStore store;
  Clock clock = Clock.systemUTC();
  private final SecureRandom random = new SecureRandom();

  /** The fields of a new pool (null: not given). */
  public record Spec(
      String name,
      Long family,
      List<String> prefixes,
      String gateway,
      List<String> reserved,
      String tier,
      Long reuseHoldSeconds) {}

  /** A change of a pool (null: unchanged). */
  public record Patch(
      List<String> addPrefixes, List<String> removePrefixes, String tier, Long reuseHoldSeconds) {}

  @Transactional
  public PoolView create(Spec s) {
    List<ApiException.FieldError> errors = new ArrayList<>();
    if (s.name() == null || !s.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
      errors.add(field("name", "is required: 1-100 letters, digits, '.', '_' or '-'"));
    }
    int family = s.family() == null ? 0 : s.family().intValue();
    if (family != 4 && family != 6) {
      errors.add(field("family", "is required: 4 or 6"));
    }
    List<String> reserved = s.reserved() == null ? List.of() : s.reserved();
    List<PrefixRules.Block> blocks = new ArrayList<>();
    if (s.prefixes() == null || s.prefixes().isEmpty()) {
      errors.add(field("prefixes", "is required: one or more prefixes in CIDR notation"));
    } else if (family != 0) {
      blocks = blocks("prefixes", s.prefixes(), family, errors);
    }
    if (family != 0) {
      reserved(reserved, family, errors);
    }
    if (s.gateway() != null
        && blocks.stream().noneMatch(b -> PrefixRules.usableIn(s.gateway(), b))) {
      errors.add(field("gateway", "must be a usable address of one of the prefixes"));
    }
    checkTierAndHold(s.tier(), s.reuseHoldSeconds(), errors);
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    if (pools.byName(s.name()).isPresent()) {
      throw ApiException.conflict("an address pool named " + s.name() + " exists");
    }
    checkNoOverlap(blocks, -1);
    long id;
    try {
      id =
          pools.insert(
              new AddressPoolRepository.PoolRow(
                  s.name(),
                  family,
                  blank(s.tier()),
                  s.reuseHoldSeconds() == null ? DEFAULT_HOLD_SECONDS : s.reuseHoldSeconds(),
                  reserved.stream().map(String::trim).toList()));
    } catch (RuntimeException taken) {
      throw ApiException.conflict("an address pool named " + s.name() + " exists");
    }
    for (PrefixRules.Block b : blocks) {
      String gw =
          s.gateway() != null && PrefixRules.usableIn(s.gateway(), b)
              ? canonical(s.gateway(), family)
              : PrefixRules.defaultGateway(b);
      open(id, PrefixRules.prefix(b, gw, reserved), List.of());
    }
    PoolView view = PoolView.of(locked(id));
    LOG.log(
        System.Logger.Level.INFO,
        "SLUICE0500I: address pool {0} (id {1}) created with {2}, {3} usable addresses",
        s.name(),
        id,
        view.usage().prefixes(),
        view.usage().total());
    return view;
  }

  @Transactional
  public PoolView get(long id) {
    return PoolView.of(pools.byId(id).orElseThrow(() -> notFound(id)));
  }

  @Transactional
  public List<PoolView> list() {
    return pools.all().stream().map(PoolView::of).toList();
  }

  @Transactional
  public PoolView patch(long id, Patch p) {
    AddressPool pool = locked(id);
    List<ApiException.FieldError> errors = new ArrayList<>();
    checkTierAndHold(p.tier(), p.reuseHoldSeconds(), errors);
    List<PrefixRules.Block> added =
        p.addPrefixes() == null
            ? List.of()
            : blocks("addPrefixes", p.addPrefixes(), pool.family(), errors);
    List<PoolPrefix> removed = new ArrayList<>();
    for (String r : p.removePrefixes() == null ? List.<String>of() : p.removePrefixes()) {
      try {
        String cidr = PrefixRules.parse(r, pool.family()).cidr();
        pool.prefixes().stream()
            .filter(x -> x.cidr().equals(cidr))
            .findFirst()
            .ifPresentOrElse(
                removed::add,
                () -> errors.add(field("removePrefixes", cidr + " is not a prefix of the pool")));
      } catch (IllegalArgumentException e) {
        errors.add(field("removePrefixes", e.getMessage()));
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.validation(errors);
    }
    if (p.tier() != null || p.reuseHoldSeconds() != null) {
      pools.update(
          id,
          p.tier() == null ? pool.tier() : blank(p.tier()),
          p.reuseHoldSeconds() == null ? pool.reuseHoldSeconds() : p.reuseHoldSeconds(),
          pool.reserved());
    }
    for (PoolPrefix r : removed) {
      try {
        allocator().closePrefix(locked(id), r);
      } catch (AllocationException e) {
        throw ApiException.conflict(e.getMessage());
      }
      pools.deletePrefixes(List.of(r.id()));
      LOG.log(System.Logger.Level.INFO, "SLUICE0501I: pool {0} shrank: {1} removed", id, r.cidr());
    }
    checkNoOverlap(added, id);
    for (PrefixRules.Block b : added) {
      grow(locked(id), b);
    }
    return PoolView.of(locked(id));
  }

  /** Adds a prefix; one that covers prefixes of the pool replaces them (their VMs keep theirs). */
  private void grow(AddressPool pool, PrefixRules.Block b) {
    List<PoolPrefix> covered = new ArrayList<>();
    for (PoolPrefix x : pool.prefixes()) {
      PrefixRules.Block have = PrefixRules.parse(x.cidr(), pool.family());
      if (have.block().contains(b.block())) {
        throw ApiException.conflict(b.cidr() + " is already covered by " + x.cidr());
      }
      if (b.block().contains(have.block())) {
        covered.add(x);
      }
    }
    covered.sort(Comparator.comparing(PoolPrefix::network));
    String gateway = covered.isEmpty() ? PrefixRules.defaultGateway(b) : covered.get(0).gateway();
    List<String> reserved = new ArrayList<>(pool.reserved());
    for (PoolPrefix c : covered) {
      if (!c.gateway().equals(gateway) && !reserved.contains(c.gateway())) {
        reserved.add(c.gateway()); // a gateway of a covered prefix stays out of use
      }
    }
    if (!reserved.equals(pool.reserved())) {
      pools.update(pool.id(), pool.tier(), pool.reuseHoldSeconds(), reserved);
    }
    pools.deletePrefixes(covered.stream().map(PoolPrefix::id).toList());
    open(pool.id(), PrefixRules.prefix(b, gateway, reserved), covered);
    LOG.log(
        System.Logger.Level.INFO,
        "SLUICE0502I: pool {0} grew: {1} added{2}",
        pool.name(),
        b.cidr(),
        covered.isEmpty() ? "" : ", replacing " + covered.stream().map(PoolPrefix::cidr).toList());
  }

  private void open(long poolId, PoolPrefix prefix, List<PoolPrefix> replaced) {
    PoolPrefix stored;
    try {
      stored = pools.insertPrefix(poolId, prefix);
    } catch (RuntimeException overlap) {
      throw ApiException.conflict(prefix.cidr() + " overlaps a prefix of another pool");
    }
    allocator().openPrefix(locked(poolId), stored, replaced);
  }

  @Transactional
  public void delete(long id) {
    AddressPool pool = locked(id);
    if (pool.used() > 0) {
      throw ApiException.conflict(
          "pool " + pool.name() + " has " + pool.used() + " allocated addresses");
    }
    pools.delete(id);
    LOG.log(System.Logger.Level.INFO, "SLUICE0503I: address pool {0} deleted", pool.name());
  }

  /**
   * Allocates an address to a VM: from the named pool, or (pool null) the first pool of the family
   * (lowest id); any free address, or {@code specificAddress}.
   */
  @Transactional
  public Allocated allocate(String pool, int family, String specificAddress, long vmId) {
    if (family != 4 && family != 6) {
      throw ApiException.validation("family", "must be 4 or 6");
    }
    AddressPool p =
        pool != null
            ? pools.byName(pool).orElseThrow(() -> ApiException.notFound("address pool " + pool))
            : pools.all().stream()
                .filter(x -> x.family() == family)
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("an IPv" + family + " address pool"));
    if (p.family() != family) {
      throw ApiException.conflict("pool " + p.name() + " is IPv" + p.family());
    }
    try {
      return allocator().allocate(locked(p.id()), specificAddress, vmId, clock.instant());
    } catch (AllocationException e) {
      if (e.kind() == AllocationException.Kind.EXHAUSTED) {
        LOG.log(System.Logger.Level.WARNING, "SLUICE0504W: {0}", e.getMessage());
        throw ApiException.poolExhausted(e.getMessage());
      }
      throw ApiException.conflict(e.getMessage());
    }
  }

  /**
   * Releases a VM's address into quarantine (the pool's reuse hold). Releasing an address that is
   * not held (any more) does nothing; one held by another VM is a 409.
   */
  @Transactional
  public void release(long poolId, String address, long vmId) {
    try {
      allocator().release(locked(poolId), address, vmId, clock.instant());
    } catch (AllocationException e) {
      throw ApiException.conflict(e.getMessage());
    }
  }

  @Transactional
  public List<PoolUsage> usage() {
    return pools.all().stream().map(PoolView::usage).toList();
  }

  private PoolAllocator allocator() {
    return new PoolAllocator(store, random);
  }

  private AddressPool locked(long id) {
    return pools.lock(id).orElseThrow(() -> notFound(id));
  }

  private List<PrefixRules.Block> blocks(
      String name, List<String> texts, int family, List<ApiException.FieldError> errors) {
    List<PrefixRules.Block> out = new ArrayList<>();
    for (String t : texts) {
      try {
        PrefixRules.Block b = PrefixRules.parse(t, family);
        for (PrefixRules.Block o : out) {
          if (PrefixRules.overlap(o, b)) {
            errors.add(field(name, b.cidr() + " overlaps " + o.cidr()));
          }
        }
        out.add(b);
      } catch (IllegalArgumentException e) {
        errors.add(field(name, e.getMessage()));
      }
    }
    return out;
  }

  private void checkNoOverlap(List<PrefixRules.Block> blocks, long ownPool) {
    for (AddressPool other : pools.all()) {
      if (other.id() == ownPool
          || other.family()
              != blocks.stream().findFirst().map(PrefixRules.Block::family).orElse(0)) {
        continue;
      }
      for (PoolPrefix x : other.prefixes()) {
        PrefixRules.Block have = PrefixRules.parse(x.cidr(), x.family());
        for (PrefixRules.Block b : blocks) {
          if (PrefixRules.overlap(have, b)) {
            throw ApiException.conflict(
                b.cidr() + " overlaps " + x.cidr() + " of pool " + other.name());
          }
        }
      }
    }
  }

  private static void reserved(
      List<String> reserved, int family, List<ApiException.FieldError> errors) {
    try {
      Reserved.parse(reserved, family);
    } catch (IllegalArgumentException e) {
      errors.add(field("reserved", e.getMessage()));
    }
  }

  private static void checkTierAndHold(
      String tier, Long hold, List<ApiException.FieldError> errors) {
    if (tier != null && tier.length() > 100) {
      errors.add(field("tier", "must be at most 100 characters"));
    }
    if (hold != null && (hold < 0 || hold > 31_536_000)) {
      errors.add(field("reuseHoldSeconds", "must be 0 to 31536000 (one year)"));
    }
  }

  private static String canonical(String address, int family) {
    return io.sluice.vms.domain.Addresses.format(
        io.sluice.vms.domain.Addresses.parse(address), family);
  }

  private static String blank(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }

  private static ApiException.FieldError field(String name, String message) {
    return new ApiException.FieldError(name, message);
  }

  private static ApiException notFound(long id) {
    return ApiException.notFound("address pool " + id);
  }
}
