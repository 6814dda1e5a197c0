package io.sluice.vms.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.vms.domain.PoolUsage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stats document computed from in-memory VMs, sessions, pools and users. */
class StatsServiceTest {

  private final InMemoryVmRepository vms = new InMemoryVmRepository();
  private final InMemoryVmSessionRepository sessionRows = new InMemoryVmSessionRepository();
  private final FakeAddressPools pools =
      new FakeAddressPools()
          .pool(
              7, "lab", 4, 24, "192.168.100.1", "192.168.100.2", "192.168.100.3", "192.168.100.4");
  private final Owners owners = new Owners(1L, 2L, 3L);
  private final VmService service = new VmService();
  private final VmSessionService sessions = new VmSessionService();
  private final StatsService stats = new StatsService();

  {
    service.vms = vms;
    service.sessions = sessionRows;
    service.pools = pools;
    service.users = owners.userService();
    service.dedicated = owners.dedicated();
    service.proxyEnv = owners.env();
    service.changed = new io.sluice.testsupport.RecordingEvent<>();
    sessions.vms = vms;
    sessions.sessions = sessionRows;
    stats.users = owners.userService();
    stats.vms = vms;
    stats.sessions = sessionRows;
    stats.pools = pools;
    stats.host =
        new HostAddresses() {
          @Override
          public List<String> external() {
            return List.of("203.0.113.10", "2001:db8::10");
          }
        };
  }

  private static PoolUsage usage(String name, int family, long total, long used, long quarantined) {
    return new PoolUsage(
        name.length(),
        name,
        family,
        "tier1",
        total,
        used,
        quarantined,
        total - used - quarantined,
        List.of(family == 4 ? "192.168.100.0/24" : "2001:db8:1::/64"),
        65534,
        16777214);
  }

  @Test
  void countsUsersVmsAndSessions() {
    owners.active = 2;
    pools.pool(9, "v6", 6, 64, "2001:db8:1::1", "2001:db8:1::5");
    VmService.Vm a = service.create(new VmService.NewVm(1, "cli", null, null, false));
    VmService.Vm b = service.create(new VmService.NewVm(2, "browser", null, null, true));
    VmService.Vm c = service.create(new VmService.NewVm(2, "browser", null, null, false));
    service.setState(c.id(), "stopped");
    VmSessionService.Session s1 = sessions.start(a.id());
    sessions.start(a.id());
    sessions.start(b.id());
    sessions.end(a.id(), s1.id());
    service.delete(b.id());
    sessionRows.vmDeleted(b.id());
    pools.usage.add(usage("lab", 4, 253, 2, 1));
    pools.usage.add(usage("v6", 6, Long.MAX_VALUE, 0, 1));

    StatsService.Stats s = stats.stats();

    assertThat(s.users()).isEqualTo(new StatsService.UserCounts(3, 2));
    assertThat(s.vms().total()).isEqualTo(2);
    assertThat(s.vms().active()).isEqualTo(1);
    assertThat(s.vms().stopped()).isEqualTo(1);
    assertThat(s.vms().byType()).isEqualTo(Map.of("cli", 1L, "browser", 1L));
    assertThat(s.sessions()).isEqualTo(new StatsService.SessionCounts(1, 2, 3));
    assertThat(s.pools()).extracting(StatsService.PoolStats::name).containsExactly("lab", "v6");
    StatsService.PoolStats lab = s.pools().get(0);
    assertThat(lab.available()).isEqualTo(250);
    assertThat(lab.total()).isEqualTo(253);
    assertThat(lab.used()).isEqualTo(2);
    assertThat(lab.currentPrefixes()).containsExactly("192.168.100.0/24");
    assertThat(lab.maxWith16()).isEqualTo(65534);
    assertThat(lab.maxWith8()).isEqualTo(16777214);
    assertThat(lab.usedPercent()).isEqualTo(1.2);
    assertThat(lab.recommendation()).isNull();
    assertThat(s.recommendations()).isEmpty();
    assertThat(s.externalAddresses()).containsExactly("203.0.113.10", "2001:db8::10");
    assertThat(s.ipv6()).isEqualTo(new StatsService.Ipv6(true, 0));
    assertThat(s.generatedAt()).isNotNull();
  }

  @Test
  void ipv6CountsVmsWithAnIpv6AddressAndIsOffWithoutAPool() {
    pools.pool(9, "v6", 6, 64, "2001:db8:1::1", "2001:db8:1::5");
    service.create(new VmService.NewVm(1, "cli", null, null, true));
    pools.usage.add(usage("v6", 6, 1000, 1, 0));
    assertThat(stats.stats().ipv6()).isEqualTo(new StatsService.Ipv6(true, 1));

    pools.usage.clear();
    pools.usage.add(usage("lab", 4, 253, 1, 0));
    assertThat(stats.stats().ipv6().enabled()).isFalse();
  }

  @Test
  void aPoolPastEightyPercentTakenGetsARecommendation() {
    pools.usage.add(usage("lab", 4, 253, 200, 3)); // 203 taken: 80.2%
    pools.usage.add(usage("calm", 4, 253, 202, 0)); // 79.8%
    pools.usage.add(usage("v6", 6, 10, 9, 0));

    StatsService.Stats s = stats.stats();

    StatsService.PoolStats lab = s.pools().get(0);
    assertThat(lab.usedPercent()).isEqualTo(80.2);
    assertThat(lab.recommendation())
        .contains("pool 'lab' is 80.2% taken (203 of 253 addresses, 50 available)")
        .contains("another /24")
        .contains("/16 (65534 addresses)")
        .contains("/8 holds 16777214");
    assertThat(s.pools().get(1).recommendation()).isNull();
    assertThat(s.pools().get(2).recommendation()).contains("another IPv6 prefix");
    assertThat(s.recommendations()).hasSize(2);
  }

  @Test
  void emptyDatabase() {
    pools.pools.clear();
    StatsService.Stats s = stats.stats();
    assertThat(s.vms().byType()).isEqualTo(Map.of("cli", 0L, "browser", 0L));
    assertThat(s.sessions().total()).isZero();
    assertThat(s.pools()).isEmpty();
    assertThat(s.ipv6()).isEqualTo(new StatsService.Ipv6(false, 0));
    assertThat(stats.vmsByTypeAndState())
        .isEqualTo(
            Map.of(
                "cli", Map.of("active", 0L, "stopped", 0L),
                "browser", Map.of("active", 0L, "stopped", 0L)));
  }
}
