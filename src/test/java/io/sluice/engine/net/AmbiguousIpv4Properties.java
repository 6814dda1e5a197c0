package io.sluice.engine.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of {@link HostNames#isAmbiguousIpv4Literal}. The expectations come from an independent
 * model of glibc's {@code inet_aton} in this class, never from the class under test.
 */
class AmbiguousIpv4Properties {

  /** glibc inet_aton as documented: 1-4 parts, each decimal, 0-octal or 0x-hex. */
  static Long inetAton(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length > 4) {
      return null;
    }
    long[] v = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i];
      int radix = 10;
      String digits = p;
      if (p.length() > 1 && p.charAt(0) == '0' && (p.charAt(1) == 'x' || p.charAt(1) == 'X')) {
        radix = 16;
        digits = p.substring(2);
      } else if (p.length() > 1 && p.charAt(0) == '0') {
        radix = 8;
        digits = p.substring(1);
      }
      if (digits.isEmpty() || digits.length() > 12) {
        return null;
      }
      try {
        v[i] = Long.parseLong(digits, radix);
      } catch (NumberFormatException e) {
        return null;
      }
      if (digits.charAt(0) == '+' || digits.charAt(0) == '-') {
        return null;
      }
    }
    long result = 0;
    for (int i = 0; i < v.length - 1; i++) {
      if (v[i] > 255) {
        return null;
      }
      result |= v[i] << (24 - 8 * i);
    }
    long last = v[v.length - 1];
    if (last >= 1L << (8 * (5 - v.length))) {
      return null;
    }
    return result | last;
  }

  static String dotted(long value) {
    return ((value >> 24) & 255)
        + "."
        + ((value >> 16) & 255)
        + "."
        + ((value >> 8) & 255)
        + "."
        + (value & 255);
  }

  @Property
  void canonicalQuadsAreNotAmbiguousAndParseToThemselves(
      @ForAll @IntRange(min = 0, max = 255) int a,
      @ForAll @IntRange(min = 0, max = 255) int b,
      @ForAll @IntRange(min = 0, max = 255) int c,
      @ForAll @IntRange(min = 0, max = 255) int d) {
    String host = a + "." + b + "." + c + "." + d;
    assertThat(HostNames.isAmbiguousIpv4Literal(host)).isFalse();
    InetAddress parsed = DestinationGate.parseLiteral(host);
    assertThat(parsed).isInstanceOf(Inet4Address.class);
    assertThat(parsed.getHostAddress()).isEqualTo(host);
  }

  @Provide
  Arbitrary<String> otherRenderings() {
    Arbitrary<Long> value = Arbitraries.longs().between(0, 0xFFFFFFFFL);
    Arbitrary<Integer> parts = Arbitraries.integers().between(1, 4);
    Arbitrary<List<Integer>> radixes = Arbitraries.of(8, 10, 16).list().ofSize(4);
    return net.jqwik.api.Combinators.combine(value, parts, radixes)
        .as((v, k, r) -> render(v, k, r))
        .filter(s -> !s.equals(dotted(inetAton(s))));
  }

  /** Writes {@code v} as inet_aton reads it in {@code k} parts, each in its own radix. */
  static String render(long v, int k, List<Integer> radixes) {
    List<Long> parts = new ArrayList<>();
    for (int i = 0; i < k - 1; i++) {
      parts.add((v >> (24 - 8 * i)) & 255);
    }
    parts.add(v & ((1L << (8 * (5 - k))) - 1));
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        b.append('.');
      }
      long p = parts.get(i);
      switch (radixes.get(i)) {
        case 8 -> b.append('0').append(Long.toOctalString(p));
        case 16 -> b.append("0x").append(Long.toHexString(p));
        default -> b.append(p);
      }
    }
    return b.toString();
  }

  @Property
  void everyOtherRenderingOfAnAddressIsAmbiguous(@ForAll("otherRenderings") String host) {
    assertThat(inetAton(host)).as("model reads " + host).isNotNull();
    assertThat(HostNames.isAmbiguousIpv4Literal(host)).as(host).isTrue();
    assertThat(DestinationGate.parseLiteral(host)).as(host).isNull();
  }

  @Provide
  Arbitrary<String> numericLooking() {
    Arbitrary<String> decimal =
        Arbitraries.strings().withChars("0123456789").ofMinLength(1).ofMaxLength(4);
    Arbitrary<String> hex =
        Arbitraries.strings().withChars("0123456789abcdefABCDEF").ofMaxLength(3).map(h -> "0x" + h);
    Arbitrary<String> noise =
        Arbitraries.strings().withChars("0123456789.xXaAfF").ofMinLength(1).ofMaxLength(24);
    Arbitrary<String> parts =
        Arbitraries.oneOf(decimal, hex)
            .list()
            .ofMinSize(1)
            .ofMaxSize(5)
            .map(l -> String.join(".", l));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(4, parts), net.jqwik.api.Tuple.of(1, noise));
  }

  /**
   * Whatever glibc would read as an address, the classifier either refuses or it is the one
   * canonical spelling of that address (which every parser reads the same way).
   */
  @Property(tries = 2000, maxDiscardRatio = 20)
  void nothingGlibcReadsAsAnAddressSlipsThrough(@ForAll("numericLooking") String host) {
    Long aton = inetAton(host);
    Assume.that(aton != null);
    if (!HostNames.isAmbiguousIpv4Literal(host)) {
      assertThat(host).isEqualTo(dotted(aton));
    }
  }

  /** A string the classifier lets through and Netty reads as IPv4 has no other reading. */
  @Property(tries = 2000)
  void allowedLiteralsParseToTheirOwnText(@ForAll("numericLooking") String host) {
    Assume.that(!HostNames.isAmbiguousIpv4Literal(host));
    InetAddress parsed = DestinationGate.parseLiteral(host);
    if (parsed instanceof Inet4Address) {
      assertThat(parsed.getHostAddress()).isEqualTo(host);
    }
  }

  @Provide
  Arbitrary<String> names() {
    Arbitrary<String> label =
        Arbitraries.strings().withChars("0123456789abcdefx-").ofMinLength(1).ofMaxLength(8);
    Arbitrary<String> tld = Arbitraries.strings().withChars("ghijklmnopqrstuvwyz").ofLength(3);
    return label
        .list()
        .ofMinSize(0)
        .ofMaxSize(3)
        .flatMap(ls ->
            tld.map(t -> {
              List<String> all = new ArrayList<>(ls);
              all.add(t);
              return String.join(".", all);
            }));
  }

  /** A name whose last label has a letter that is no hex digit is a name, never a literal. */
  @Property
  void namesEndingInALetterAreNotAmbiguous(@ForAll("names") String host) {
    assertThat(HostNames.isAmbiguousIpv4Literal(host)).isFalse();
  }
}
