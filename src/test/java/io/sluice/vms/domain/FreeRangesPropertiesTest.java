package io.sluice.vms.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Properties of {@link FreeRanges} against a plain set of numbers as the reference. */
class FreeRangesPropertiesTest {

  /** One operation: 0 take lowest, 1 take n, 2 give back n, 3 remove [n, n+k], 4 add [n, n+k]. */
  record Op(int kind, long n, long k) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 4),
            Arbitraries.longs().between(0, 120),
            Arbitraries.longs().between(0, 9))
        .as(Op::new)
        .list()
        .ofMaxSize(200);
  }

  @Property
  void behavesLikeASetOfNumbers(
      @ForAll @LongRange(min = 0, max = 50) long first,
      @ForAll @LongRange(min = 0, max = 80) long size,
      @ForAll("ops") List<Op> ops) {
    FreeRanges free = new FreeRanges();
    TreeSet<Long> model = new TreeSet<>();
    free.add(first, first + size);
    for (long i = first; i <= first + size; i++) {
      model.add(i);
    }
    Set<Long> handedOut = new HashSet<>();
    for (Op op : ops) {
      switch (op.kind()) {
        case 0 -> {
          OptionalLong n = free.takeLowest();
          assertThat(n.isPresent()).isEqualTo(!model.isEmpty());
          if (n.isPresent()) {
            assertThat(n.getAsLong()).isEqualTo(model.pollFirst());
            assertThat(handedOut.add(n.getAsLong())).as("handed out twice").isTrue();
          }
        }
        case 1 -> {
          boolean took = free.take(op.n());
          assertThat(took).isEqualTo(model.remove(op.n()));
          if (took) {
            assertThat(handedOut.add(op.n())).as("handed out twice").isTrue();
          }
        }
        case 2 -> {
          if (handedOut.remove(op.n())) {
            free.giveBack(op.n());
            model.add(op.n());
          } else if (model.contains(op.n())) {
            assertThatThrownBy(() -> free.giveBack(op.n()))
                .isInstanceOf(IllegalStateException.class);
          }
        }
        case 3 -> {
          free.remove(op.n(), op.n() + op.k());
          model.subSet(op.n(), true, op.n() + op.k(), true).clear();
        }
        default -> {
          free.add(op.n(), op.n() + op.k());
          for (long i = op.n(); i <= op.n() + op.k(); i++) {
            model.add(i);
            handedOut.remove(i);
          }
        }
      }
      check(free, model);
    }
  }

  @Property
  void takesEveryNumberOnceThenIsExhausted(
      @ForAll @LongRange(min = 0, max = 4_294_967_295L - 600) long first,
      @ForAll @IntRange(min = 1, max = 600) int size,
      @ForAll @IntRange(min = 0, max = 20) int holes) {
    FreeRanges free = new FreeRanges();
    free.add(first, first + size - 1);
    Set<Long> removed = new HashSet<>();
    for (int i = 0; i < holes; i++) {
      long n = first + (i * 37L) % size;
      free.remove(n, n);
      removed.add(n);
    }
    Set<Long> seen = new HashSet<>();
    OptionalLong n;
    while ((n = free.takeLowest()).isPresent()) {
      assertThat(seen.add(n.getAsLong())).isTrue();
      assertThat(removed).doesNotContain(n.getAsLong());
      assertThat(n.getAsLong()).isBetween(first, first + size - 1);
    }
    assertThat(seen).hasSize(size - removed.size());
    assertThat(free.count()).isZero();
    assertThat(free.ranges()).isEmpty();
  }

  private static void check(FreeRanges free, TreeSet<Long> model) {
    assertThat(free.count()).isEqualTo(model.size());
    long previousLast = Long.MIN_VALUE;
    TreeSet<Long> fromRanges = new TreeSet<>();
    for (FreeRanges.Range r : free.ranges()) {
      assertThat(r.first()).as("sorted, disjoint, not adjacent").isGreaterThan(previousLast + 1);
      previousLast = r.last();
      for (long i = r.first(); i <= r.last(); i++) {
        fromRanges.add(i);
      }
    }
    assertThat(fromRanges).isEqualTo(model);
  }
}
