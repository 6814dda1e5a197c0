package io.sluice.vms.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.platform.db.Page;
import io.sluice.platform.problem.ApiException;
import io.sluice.vms.domain.VmFilter;
import org.junit.jupiter.api.Test;

/** {@link VmService} and {@link VmSessionService} with in-memory VMs, sessions and allocator. */
class VmServiceTest {

  private final InMemoryVmRepository vms = new InMemoryVmRepository();
  private final InMemoryVmSessionRepository sessionRows = new InMemoryVmSessionRepository();
  private final FakeAddressPools pools =
      new FakeAddressPools()
          .pool(7, "lab", 4, 24, "192.168.100.1", "192.168.100.2", "192.168.100.3")
          .pool(8, "tier2", 4, 24, "10.77.0.1", "10.77.0.2");
  private final Owners owners = new Owners(1L, 2L);
  private final VmService service = new VmService();
  private final VmSessionService sessions = new VmSessionService();

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
  }

  private VmService.Vm create(long user, String type) {
    return service.create(new VmService.NewVm(user, type, null, null, false));
  }

  @Test
  void createAllocatesFromTheFirstPoolAndAssignsTheUsersPort() {
    VmService.Vm vm = create(1, "cli");

    assertThat(vm.ipv4()).isEqualTo("192.168.100.2");
    assertThat(vm.gateway()).isEqualTo("192.168.100.1");
    assertThat(vm.prefixLength()).isEqualTo(24);
    assertThat(vm.ipv4PoolId()).isEqualTo(7);
    assertThat(vm.ipv6()).isNull();
    assertThat(vm.state()).isEqualTo("active");
    assertThat(vm.name()).isEqualTo("cli-" + vm.id());
    assertThat(vm.dedicatedPort()).isEqualTo(10001);
    assertThat(vm.bootArgs()).isEqualTo("ip=192.168.100.2::192.168.100.1:255.255.255.0::eth0:off");
    assertThat(vm.proxyEnv()).containsEntry("HTTP_PROXY", "http://user1:pw@proxy.example:10001");
  }

  @Test
  void theDedicatedPortStaysWithTheUserAcrossVms() {
    VmService.Vm first = create(1, "cli");
    VmService.Vm other = create(2, "browser");
    service.delete(first.id());
    VmService.Vm second = service.create(new VmService.NewVm(1, "browser", "b1", "tier2", false));

    assertThat(second.dedicatedPort()).isEqualTo(first.dedicatedPort()).isEqualTo(10001);
    assertThat(other.dedicatedPort()).isEqualTo(10002);
    assertThat(second.ipv4()).isEqualTo("10.77.0.2");
    assertThat(second.name()).isEqualTo("b1");
    assertThat(owners.ports).containsEntry(1L, 10001);
  }

  @Test
  void ipv6IsAllocatedWhenAskedAndAPoolExists() {
    pools.pool(9, "v6", 6, 64, "2001:db8:1::1", "2001:db8:1::a:b");

    VmService.Vm vm = service.create(new VmService.NewVm(1, "browser", null, null, true));

    assertThat(vm.ipv6()).isEqualTo("2001:db8:1::a:b");
    assertThat(vm.ipv6PrefixLength()).isEqualTo(64);
    assertThat(vm.ipv6Gateway()).isEqualTo("2001:db8:1::1");
    assertThat(vm.ipv6PoolId()).isEqualTo(9);
  }

  @Test
  void ipv6WithoutAnIpv6PoolIsAConflictThatSaysSo() {
    assertThatThrownBy(() -> service.create(new VmService.NewVm(1, "cli", null, null, true)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.getMessage()).contains("no IPv6 address pool");
            });
    assertThat(vms.rows).isEmpty();
  }

  @Test
  void noIpv6PoolIsSaidSoWhateverTheAllocatorAnswers() {
    service.pools =
        new FakeAddressPools() {
          @Override
          public io.sluice.vms.domain.Allocated allocate(
              String pool, int family, String specificAddress, long vmId) {
            if (family == 6) {
              throw ApiException.poolExhausted("no address of family 6");
            }
            return super.allocate(pool, family, specificAddress, vmId);
          }
        }.pool(7, "lab", 4, 24, "192.168.100.1", "192.168.100.2");

    assertThatThrownBy(() -> service.create(new VmService.NewVm(1, "cli", null, null, true)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.type()).isEqualTo("conflict");
              assertThat(e.getMessage()).contains("no IPv6 address pool");
            });
  }

  @Test
  void aFullIpv6PoolIsPoolExhausted() {
    pools.pool(9, "v6", 6, 64, "2001:db8:1::1");

    assertThatThrownBy(() -> service.create(new VmService.NewVm(1, "cli", null, null, true)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.type()).isEqualTo("pool-exhausted");
              assertThat(e.getMessage()).contains("ipv6");
            });
  }

  @Test
  void anExhaustedIpv4PoolAndAnUnknownPoolAreReported() {
    create(1, "cli");
    create(1, "cli");
    assertThatThrownBy(() -> create(1, "cli"))
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.type()).isEqualTo("pool-exhausted"));
    assertThatThrownBy(() -> service.create(new VmService.NewVm(1, "cli", null, "nope", false)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void noIpv4PoolAtAllIsAConflict() {
    pools.pools.clear();
    assertThatThrownBy(() -> create(1, "cli"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.getMessage()).contains("no IPv4 address pool");
            });
  }

  @Test
  void validationAndUnknownUser() {
    assertThatThrownBy(() -> create(1, "desktop"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.errors()).extracting(ApiException.FieldError::field).contains("type"));
    assertThatThrownBy(() -> service.create(new VmService.NewVm(1, "cli", "bad name", null, false)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e ->
                assertThat(e.errors()).extracting(ApiException.FieldError::field).contains("name"));
    assertThatThrownBy(() -> create(99, "cli"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThat(owners.ports).isEmpty();
    assertThat(vms.rows).isEmpty();
  }

  @Test
  void deleteReleasesBothAddressesButNotThePort() {
    pools.pool(9, "v6", 6, 64, "2001:db8:1::1", "2001:db8:1::a:b");
    VmService.Vm vm = service.create(new VmService.NewVm(1, "browser", null, null, true));

    service.delete(vm.id());

    assertThat(pools.released)
        .containsExactly(
            new FakeAddressPools.Release(7, "192.168.100.2", vm.id()),
            new FakeAddressPools.Release(9, "2001:db8:1::a:b", vm.id()));
    assertThat(owners.ports).containsEntry(1L, 10001);
    assertThatThrownBy(() -> service.get(vm.id()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    assertThatThrownBy(() -> service.delete(vm.id()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void aDeletedUsersVmsReleaseTheirAddressesAndGo() {
    VmService.Vm a = create(1, "cli");
    VmService.Vm b = service.create(new VmService.NewVm(1, "browser", null, "tier2", false));
    VmService.Vm other = create(2, "cli");

    service.userDeleting(new io.sluice.users.domain.ProxyUserDeleting(1, "alice"));

    assertThat(pools.released)
        .extracting(FakeAddressPools.Release::vmId)
        .containsExactlyInAnyOrder(a.id(), b.id());
    assertThat(vms.rows).containsOnlyKeys(other.id());
  }

  @Test
  void listFiltersByUserTypeAndStateAndPages() {
    VmService.Vm a = create(1, "cli");
    create(1, "browser");
    VmService.Vm c = service.create(new VmService.NewVm(2, "cli", null, "tier2", false));
    service.setState(a.id(), "stopped");

    assertThat(service.list(new VmFilter(1L, null, null), 0, 50).total()).isEqualTo(2);
    assertThat(service.list(new VmFilter(null, "cli", null), 0, 50).items())
        .extracting(VmService.Vm::id)
        .containsExactly(a.id(), c.id());
    assertThat(service.list(new VmFilter(null, "cli", "active"), 0, 50).items())
        .extracting(VmService.Vm::id)
        .containsExactly(c.id());
    Page<VmService.Vm> page1 = service.list(VmFilter.ALL, 1, 2);
    assertThat(page1.items()).hasSize(1);
    assertThat(page1.total()).isEqualTo(3);
    assertThat(page1.items().get(0).dedicatedPort()).isEqualTo(10002);
    assertThat(page1.items().get(0).proxyEnv()).isNull();
    assertThatThrownBy(() -> service.list(new VmFilter(null, "vm", null), 0, 50))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> service.list(new VmFilter(null, null, "paused"), 0, 50))
        .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> service.list(VmFilter.ALL, 0, 501)).isInstanceOf(ApiException.class);
  }

  @Test
  void getHidesTheProxyEnvAndConfigShowsIt() {
    VmService.Vm vm = create(1, "cli");
    assertThat(service.get(vm.id()).proxyEnv()).isNull();
    assertThat(service.get(vm.id()).dedicatedPort()).isEqualTo(10001);
    assertThat(service.config(vm.id()).proxyEnv()).containsKey("HTTP_PROXY");
  }

  @Test
  void sessionsStartOnActiveVmsEndOnceAndStopEndsThem() {
    VmService.Vm vm = create(1, "cli");
    VmSessionService.Session s1 = sessions.start(vm.id());
    VmSessionService.Session s2 = sessions.start(vm.id());
    assertThat(s1.state()).isEqualTo("active");

    VmSessionService.Session ended = sessions.end(vm.id(), s1.id());
    assertThat(ended.state()).isEqualTo("completed");
    assertThat(ended.endedAt()).isNotNull();
    assertThatThrownBy(() -> sessions.end(vm.id(), s1.id()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));
    assertThatThrownBy(() -> sessions.end(vm.id(), 999))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));

    VmService.Vm stopped = service.setState(vm.id(), "stopped");
    assertThat(stopped.state()).isEqualTo("stopped");
    assertThat(sessionRows.rows.get(s2.id()).endedAt).isNotNull();
    assertThatThrownBy(() -> sessions.start(vm.id()))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(409));

    assertThat(service.setState(vm.id(), "active").state()).isEqualTo("active");
    assertThat(sessions.start(vm.id()).state()).isEqualTo("active");
    assertThat(sessions.recent(vm.id()))
        .hasSize(3)
        .first()
        .extracting(s -> s.state())
        .isEqualTo("active");
    assertThat(sessionRows.counts())
        .isEqualTo(new io.sluice.vms.domain.VmSessionRepository.Counts(1, 2));
    assertThatThrownBy(() -> sessions.start(12345))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
  }

  @Test
  void deletingAVmEndsItsOpenSessions() {
    VmService.Vm vm = create(1, "cli");
    VmSessionService.Session s = sessions.start(vm.id());
    service.delete(vm.id());
    assertThat(sessionRows.rows.get(s.id()).endedAt).isNotNull();
  }
}
