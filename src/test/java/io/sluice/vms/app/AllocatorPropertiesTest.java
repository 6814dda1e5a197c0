package io.sluice.vms.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.platform.problem.ApiException;
import io.sluice.vms.domain.Addresses;
import io.sluice.vms.domain.Allocated;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of allocation through {@link AddressPoolService} on the in-memory stores (the same
 * {@code PoolAllocator} rules as on the database): never the same address twice, exhaustion is a
 * 409 {@code pool-exhausted}, reserved addresses are never handed out, release goes into quarantine
 * and is reused only after the hold, specific requests.
 */
class AllocatorPropertiesTest {

  private static final long NET = Addresses.v4("10.77.0.0");

  private static AddressPoolService.Spec spec(int length, List<String> reserved, long hold) {
    return new AddressPoolService.Spec(
        "p", 4L, List.of("10.77.0.0/" + length), null, reserved, null, hold);
  }

  private static List<String> reservedOf(List<Integer> offsets, int length) {
    long size = 1L << (32 - length);
    return offsets.stream().map(o -> Addresses.v4(NET + o % size)).distinct().toList();
  }

  @Property(tries = 60)
  void neverTwiceNeverReservedThenExhausted(
      @ForAll @IntRange(min = 23, max = 30) int length,
      @ForAll @Size(max = 6) List<@IntRange(min = 0, max = 600) Integer> reservedOffsets) {
    Pools p = new Pools();
    List<String> reserved = reservedOf(reservedOffsets, length);
    PoolView pool = p.service.create(spec(length, reserved, 0));
    long size = 1L << (32 - length);
    Set<String> never = new HashSet<>(reserved);
    never.add(Addresses.v4(NET));
    never.add(Addresses.v4(NET + size - 1));
    never.add(Addresses.v4(NET + 1)); // the default gateway
    Set<String> seen = new HashSet<>();
    for (long i = 0; i < pool.usage().total(); i++) {
      Allocated a = p.service.allocate("p", 4, null, i);
      assertThat(seen.add(a.address())).as("handed out twice: %s", a.address()).isTrue();
      assertThat(never).doesNotContain(a.address());
      assertThat(a.gateway()).isEqualTo("10.77.0.1");
      assertThat(a.prefixLength()).isEqualTo(length);
    }
    assertThat(seen).hasSize((int) (size - never.size()));
    ApiException full =
        catchThrowableOfType(ApiException.class, () -> p.service.allocate("p", 4, null, 9));
    assertThat(full.status()).isEqualTo(409);
    assertThat(full.type()).isEqualTo("pool-exhausted");
    assertThat(p.service.usage().get(0).available()).isZero();
  }

  @Property(tries = 40)
  void releasedAddressesWaitForTheHoldThenComeBack(
      @ForAll @IntRange(min = 26, max = 30) int length,
      @ForAll @IntRange(min = 1, max = 3600) int hold,
      @ForAll @Size(min = 1, max = 10) List<@IntRange(min = 0, max = 61) Integer> picks) {
    Pools p = new Pools();
    PoolView pool = p.service.create(spec(length, List.of(), hold));
    List<Allocated> all = new ArrayList<>();
    for (long i = 0; i < pool.usage().total(); i++) {
      all.add(p.service.allocate("p", 4, null, i));
    }
    Set<String> released = new HashSet<>();
    for (int pick : picks) {
      int i = pick % all.size();
      p.service.release(pool.id(), all.get(i).address(), i);
      released.add(all.get(i).address());
    }
    assertThat(p.service.usage().get(0).quarantined()).isEqualTo(released.size());
    p.clock.advance(hold - 1);
    assertThat(
            catchThrowableOfType(ApiException.class, () -> p.service.allocate("p", 4, null, 99))
                .type())
        .isEqualTo("pool-exhausted");
    p.clock.advance(1);
    Set<String> reused = new HashSet<>();
    for (int i = 0; i < released.size(); i++) {
      reused.add(p.service.allocate("p", 4, null, 100 + i).address());
    }
    assertThat(reused).isEqualTo(released);
    assertThat(p.service.usage().get(0).quarantined()).isZero();
  }

  @Property(tries = 60)
  void specificRequestsGetExactlyTheFreeUsableAddresses(
      @ForAll @Size(max = 30) List<@IntRange(min = -3, max = 70) Integer> offsets) {
    Pools p = new Pools();
    p.service.create(spec(26, List.of("10.77.0.10-10.77.0.12"), 0));
    Set<Long> held = new HashSet<>();
    for (int o : offsets) {
      long n = NET + o;
      boolean usable = o > 1 && o < 63 && (o < 10 || o > 12) && !held.contains(n);
      ApiException e =
          catchThrowableOfType(
              ApiException.class, () -> p.service.allocate("p", 4, Addresses.v4(n), o));
      if (usable) {
        assertThat(e).isNull();
        held.add(n);
      } else {
        assertThat(e.status()).isEqualTo(409);
        assertThat(e.type()).isEqualTo("conflict");
      }
    }
    // The lowest-first allocations skip what the specific requests took.
    Set<String> rest = new HashSet<>();
    for (long i = 0; i < 61 - 3 - held.size(); i++) {
      rest.add(p.service.allocate("p", 4, null, 1000 + i).address());
    }
    assertThat(rest).hasSize(61 - 3 - held.size());
    for (long n : held) {
      assertThat(rest).doesNotContain(Addresses.v4(n));
    }
  }

  @Property(tries = 20)
  void ipv6IdsAreRandomDistinctAndInsideThePrefix(
      @ForAll @IntRange(min = 48, max = 64) int length) {
    Pools p = new Pools();
    String net = "2a01:4f9:3a:1250::";
    String cidr =
        Addresses.v6(Addresses.parse(net).shiftRight(128 - length).shiftLeft(128 - length))
            + "/"
            + length;
    p.service.create(new AddressPoolService.Spec("v6", 6L, List.of(cidr), null, null, null, 0L));
    BigInteger lo = Addresses.parse(cidr.substring(0, cidr.indexOf('/')));
    BigInteger hi = lo.add(BigInteger.ONE.shiftLeft(128 - length));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Allocated a = p.service.allocate(null, 6, null, i);
      BigInteger n = Addresses.parse(a.address());
      assertThat(n).isGreaterThan(lo.add(BigInteger.ONE)).isLessThan(hi);
      assertThat(a.address()).isEqualTo(Addresses.v6(n));
      assertThat(seen.add(a.address())).isTrue();
      assertThat(a.prefixLength()).isEqualTo(length);
      assertThat(a.gateway()).isEqualTo(Addresses.v6(lo.add(BigInteger.ONE)));
    }
  }
}
