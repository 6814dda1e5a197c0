package io.sluice.vms.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.platform.problem.ApiException;
import io.sluice.vms.domain.Allocated;
import io.sluice.vms.domain.PoolUsage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link AddressPoolService} on in-memory stores: CRUD, growth, shrinking, checks, usage. */
class AddressPoolServiceTest {

  private final Pools p = new Pools();
  private final AddressPoolService service = p.service;

  private static AddressPoolService.Spec v4(String name, String... prefixes) {
    return new AddressPoolService.Spec(name, 4L, List.of(prefixes), null, null, null, null);
  }

  private static AddressPoolService.Patch add(String... prefixes) {
    return new AddressPoolService.Patch(List.of(prefixes), null, null, null);
  }

  private static ApiException failure(Runnable r) {
    return catchThrowableOfType(ApiException.class, r::run);
  }

  @Test
  void aSlash24Has253UsableAddressesAndRoomToGrow() {
    PoolView pool = service.create(v4("vm-net", "192.168.100.0/24"));
    assertThat(pool.prefixes())
        .containsExactly(new PoolView.PrefixView("192.168.100.0/24", 24, "192.168.100.1", 253));
    PoolUsage u = pool.usage();
    assertThat(u.total()).isEqualTo(253);
    assertThat(u.available()).isEqualTo(253);
    assertThat(u.maxWith16()).isEqualTo(65_533);
    assertThat(u.maxWith8()).isEqualTo(16_777_213);
    assertThat(pool.reuseHoldSeconds()).isEqualTo(AddressPoolService.DEFAULT_HOLD_SECONDS);

    Allocated a = service.allocate(null, 4, null, 7);
    assertThat(a)
        .isEqualTo(new Allocated(pool.id(), "vm-net", 4, "192.168.100.2", 24, "192.168.100.1"));
    assertThat(service.usage().get(0).used()).isEqualTo(1);
    assertThat(service.usage().get(0).available()).isEqualTo(252);
  }

  @Test
  void growsFromOneSlash24ToTwoToASlash16KeepingItsAllocations() {
    PoolView pool = service.create(v4("grow", "10.20.0.0/24"));
    Allocated first = service.allocate("grow", 4, null, 1);
    assertThat(first.address()).isEqualTo("10.20.0.2");

    PoolView two = service.patch(pool.id(), add("10.20.1.0/24"));
    assertThat(two.usage().total()).isEqualTo(506);
    Allocated inSecond = service.allocate("grow", 4, "10.20.1.7", 2);
    assertThat(inSecond.gateway()).isEqualTo("10.20.1.1");

    PoolView big = service.patch(pool.id(), add("10.20.0.0/16"));
    assertThat(big.usage().prefixes()).containsExactly("10.20.0.0/16");
    // network, broadcast, gateway 10.20.0.1, and 10.20.1.1 kept out of use as a former gateway
    assertThat(big.usage().total()).isEqualTo(65_532);
    assertThat(big.reserved()).containsExactly("10.20.1.1");
    assertThat(big.usage().used()).isEqualTo(2);
    assertThat(big.usage().available()).isEqualTo(65_530);
    assertThat(p.store.freeCount(pool.id())).isEqualTo(65_530);

    // the old /24 boundaries are ordinary addresses now; held ones stay held
    assertThat(service.allocate("grow", 4, "10.20.0.255", 3).prefixLength()).isEqualTo(16);
    assertThat(failure(() -> service.allocate("grow", 4, "10.20.1.7", 4)).status()).isEqualTo(409);
    assertThat(failure(() -> service.allocate("grow", 4, "10.20.1.1", 4)).getMessage())
        .contains("reserved");
    assertThat(service.allocate("grow", 4, null, 5).address()).isEqualTo("10.20.0.3");
  }

  @Test
  void removingAPrefixIsRefusedWhileItHasAllocations() {
    PoolView pool = service.create(v4("shrink", "10.30.0.0/24", "10.30.1.0/24"));
    Allocated a = service.allocate("shrink", 4, "10.30.1.9", 1);
    var remove = new AddressPoolService.Patch(null, List.of("10.30.1.0/24"), null, null);
    ApiException busy = failure(() -> service.patch(pool.id(), remove));
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.getMessage()).contains("1 allocated");

    service.release(pool.id(), a.address(), 1); // into quarantine: no longer counts
    PoolView shrunk = service.patch(pool.id(), remove);
    assertThat(shrunk.usage().prefixes()).containsExactly("10.30.0.0/24");
    assertThat(shrunk.usage().quarantined()).isZero();
    assertThat(p.store.freeCount(pool.id())).isEqualTo(253);
    assertThat(failure(() -> service.allocate("shrink", 4, "10.30.1.9", 2)).getMessage())
        .contains("outside");
  }

  @Test
  void deleteIsRefusedWhileAddressesAreHeld() {
    PoolView pool = service.create(v4("del", "10.40.0.0/28"));
    Allocated a = service.allocate("del", 4, null, 1);
    assertThat(failure(() -> service.delete(pool.id())).status()).isEqualTo(409);
    service.release(pool.id(), a.address(), 1);
    service.delete(pool.id());
    assertThat(failure(() -> service.get(pool.id())).status()).isEqualTo(404);
  }

  @Test
  void prefixesOfDifferentPoolsMayNotOverlap() {
    service.create(v4("a", "10.50.0.0/16"));
    assertThat(failure(() -> service.create(v4("b", "10.50.3.0/24"))).status()).isEqualTo(409);
    PoolView b = service.create(v4("b", "10.51.0.0/24"));
    assertThat(failure(() -> service.patch(b.id(), add("10.0.0.0/8"))).status()).isEqualTo(409);
    assertThat(failure(() -> service.create(v4("a", "10.52.0.0/24"))).getMessage())
        .contains("exists");
    assertThat(failure(() -> service.patch(b.id(), add("10.51.0.0/25"))).getMessage())
        .contains("already covered");
  }

  @Test
  void invalidInputIsA400NamingEachField() {
    ApiException e =
        failure(() ->
            service.create(
                new AddressPoolService.Spec(
                    "bad name",
                    4L,
                    List.of("10.0.0.0/31", "10.0.1.5/24", "2a01::/64", "10.0.0.0/7"),
                    "10.9.9.9",
                    List.of("nope"),
                    null,
                    -1L)));
    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errors())
        .extracting(ApiException.FieldError::field)
        .containsExactlyInAnyOrder(
            "name",
            "prefixes",
            "prefixes",
            "prefixes",
            "prefixes",
            "reserved",
            "gateway",
            "reuseHoldSeconds");
    assertThat(e.errors().get(2).message()).contains("host bits").contains("10.0.1.0/24");
    assertThat(
            failure(() ->
                    service.create(
                        new AddressPoolService.Spec(
                            "v6", 6L, List.of("2a01::/80"), null, null, null, null)))
                .getMessage())
        .contains("/64 or shorter");
  }

  @Test
  void allocationFindsThePoolByNameOrFamily() {
    assertThat(failure(() -> service.allocate(null, 4, null, 1)).status()).isEqualTo(404);
    service.create(v4("four", "10.60.0.0/24"));
    service.create(
        new AddressPoolService.Spec(
            "six", 6L, List.of("2a01:4f9:3a:1250::/64"), null, null, "gold", 60L));
    assertThat(failure(() -> service.allocate("nope", 4, null, 1)).status()).isEqualTo(404);
    assertThat(failure(() -> service.allocate("six", 4, null, 1)).status()).isEqualTo(409);
    Allocated v6 = service.allocate(null, 6, null, 1);
    assertThat(v6.address()).startsWith("2a01:4f9:3a:1250:");
    assertThat(v6.gateway()).isEqualTo("2a01:4f9:3a:1250::1");
    assertThat(v6.prefixLength()).isEqualTo(64);
    assertThat(service.allocate(null, 6, "2a01:4f9:3a:1250:0:0:0:abcd", 2).address())
        .isEqualTo("2a01:4f9:3a:1250::abcd");
    assertThat(failure(() -> service.allocate(null, 6, "2a01:4f9:3a:1250::abcd", 3)).status())
        .isEqualTo(409);
    PoolUsage six = service.usage().get(1);
    assertThat(six.total()).isEqualTo(Long.MAX_VALUE);
    assertThat(six.used()).isEqualTo(2);
    assertThat(six.tier()).isEqualTo("gold");
    assertThat(six.maxWith16()).isZero();
  }

  @Test
  void releaseByAnotherVmIsAConflictAndAReleasedAddressIsANoOp() {
    PoolView pool = service.create(v4("rel", "10.70.0.0/24"));
    Allocated a = service.allocate("rel", 4, null, 1);
    assertThatThrownBy(() -> service.release(pool.id(), a.address(), 2))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("held by VM 1");
    service.release(pool.id(), a.address(), 1);
    service.release(pool.id(), a.address(), 1);
    service.release(pool.id(), "10.70.0.99", 1);
    assertThat(service.usage().get(0).quarantined()).isEqualTo(1);
    assertThat(failure(() -> service.allocate("rel", 4, a.address(), 3)).getMessage())
        .contains("quarantine");
    p.clock.advance(AddressPoolService.DEFAULT_HOLD_SECONDS);
    assertThat(service.allocate("rel", 4, a.address(), 3).address()).isEqualTo(a.address());
  }

  @Test
  void tierAndHoldAreEditable() {
    PoolView pool = service.create(v4("edit", "10.80.0.0/24"));
    PoolView changed =
        service.patch(pool.id(), new AddressPoolService.Patch(null, null, "segment-b", 0L));
    assertThat(changed.tier()).isEqualTo("segment-b");
    assertThat(changed.reuseHoldSeconds()).isZero();
    Allocated a = service.allocate("edit", 4, null, 1);
    service.release(pool.id(), a.address(), 1); // hold 0: straight back
    assertThat(service.allocate("edit", 4, null, 2).address()).isEqualTo(a.address());
  }
}
