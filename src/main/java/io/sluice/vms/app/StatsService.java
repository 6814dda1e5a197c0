package io.sluice.vms.app;

import io.sluice.users.app.ProxyUserService;
import io.sluice.vms.domain.PoolUsage;
import io.sluice.vms.domain.VmEntity;
import io.sluice.vms.domain.VmRepository;
import io.sluice.vms.domain.VmSessionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The operator's stats document: users, VMs by type and state, sessions, address pool usage with a
 * growth recommendation once a pool passes 80% taken, the host's external addresses and the
 * dedicated-IPv6 status.
 */
@ApplicationScoped
public class StatsService {

  /** A pool whose taken share (used and quarantined) passes this gets a recommendation. */
  static final double RECOMMEND_ABOVE = 0.80;

  @Inject ProxyUserService users;
  @Inject VmRepository vms;
  @Inject VmSessionRepository sessions;
  @Inject AddressPoolService pools;
  @Inject HostAddresses host;

  /** The stats document. */
  public record Stats(
      UserCounts users,
      VmCounts vms,
      SessionCounts sessions,
      List<PoolStats> pools,
      List<String> externalAddresses,
      Ipv6 ipv6,
      List<String> recommendations,
      Instant generatedAt) {}

  /** {@code active}: enabled and not expired. */
  public record UserCounts(long total, long active) {}

  /** {@code byType}: every type, 0 when there is no VM of it. */
  public record VmCounts(long total, long active, long stopped, Map<String, Long> byType) {}

  public record SessionCounts(long active, long completed, long total) {}

  /**
   * One pool: {@code available} addresses can be handed out now, {@code used} are allocated, {@code
   * quarantined} were released and wait out the hold; {@code usedPercent} is the taken share (used
   * and quarantined) of {@code total}.
   */
  public record PoolStats(
      long id,
      String name,
      int family,
      String tier,
      long available,
      long total,
      long used,
      long quarantined,
      double usedPercent,
      List<String> currentPrefixes,
      long maxWith16,
      long maxWith8,
      String recommendation) {}

  /** {@code enabled}: an IPv6 pool exists; {@code count}: VMs with a dedicated IPv6 address. */
  public record Ipv6(boolean enabled, long count) {}

  @Transactional
  public Stats stats() {
    ProxyUserService.Counts u = users.counts();
    Map<String, Map<String, Long>> byTypeState = vmsByTypeAndState();
    long total = 0;
    long active = 0;
    Map<String, Long> byType = new LinkedHashMap<>();
    for (var t : byTypeState.entrySet()) {
      long n = t.getValue().values().stream().mapToLong(Long::longValue).sum();
      byType.put(t.getKey(), n);
      total += n;
      active += t.getValue().getOrDefault(VmEntity.STATE_ACTIVE, 0L);
    }
    VmSessionRepository.Counts s = sessions.counts();
    List<PoolUsage> usage = pools.usage();
    List<PoolStats> poolStats = usage.stream().map(StatsService::pool).toList();
    List<String> recommendations =
        poolStats.stream().map(PoolStats::recommendation).filter(Objects::nonNull).toList();
    boolean ipv6 = usage.stream().anyMatch(p -> p.family() == 6);
    return new Stats(
        new UserCounts(u.total(), u.active()),
        new VmCounts(total, active, total - active, byType),
        new SessionCounts(s.active(), s.completed(), s.total()),
        poolStats,
        host.external(),
        new Ipv6(ipv6, vms.countWithIpv6()),
        recommendations,
        Instant.now());
  }

  /** VM counts: type -> state -> count, every type and state present (0 when none). */
  @Transactional
  public Map<String, Map<String, Long>> vmsByTypeAndState() {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (String type : List.of(VmEntity.TYPE_CLI, VmEntity.TYPE_BROWSER)) {
      Map<String, Long> states = new LinkedHashMap<>();
      states.put(VmEntity.STATE_ACTIVE, 0L);
      states.put(VmEntity.STATE_STOPPED, 0L);
      out.put(type, states);
    }
    for (VmRepository.Count c : vms.counts()) {
      out.computeIfAbsent(c.type(), t -> new LinkedHashMap<>())
          .merge(c.state(), c.count(), Long::sum);
    }
    return out;
  }

  static PoolStats pool(PoolUsage p) {
    double taken = p.total() <= 0 ? 0 : (double) (p.total() - p.available()) / p.total();
    double percent = Math.round(taken * 1000) / 10.0;
    return new PoolStats(
        p.poolId(),
        p.pool(),
        p.family(),
        p.tier(),
        p.available(),
        p.total(),
        p.used(),
        p.quarantined(),
        percent,
        p.prefixes() == null ? List.of() : p.prefixes(),
        p.maxWith16(),
        p.maxWith8(),
        taken > RECOMMEND_ABOVE ? recommendation(p, percent) : null);
  }

  /** What to do about a pool that passed 80% taken: the next growth step. */
  static String recommendation(PoolUsage p, double percent) {
    String head =
        String.format(
            Locale.ROOT,
            "pool '%s' is %.1f%% taken (%d of %d addresses, %d available): ",
            p.pool(),
            percent,
            p.total() - p.available(),
            p.total(),
            p.available());
    if (p.family() == 6) {
      return head + "add another IPv6 prefix to the pool";
    }
    List<String> steps = new ArrayList<>();
    steps.add("add a prefix (another /24) to the pool");
    if (p.maxWith16() > p.total()) {
      steps.add("grow it to a /16 (" + p.maxWith16() + " addresses)");
    }
    if (p.maxWith8() > p.total()) {
      steps.add("a /8 holds " + p.maxWith8());
    }
    return head + String.join("; ", steps);
  }
}
