package io.sluice.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyLimitFilterTest {

  @Test
  void aSingleLengthIsReadAndRepeatedEqualLengthsAreOneLength() {
    assertThat(BodyLimitFilter.contentLength("12")).isEqualTo(12);
    assertThat(BodyLimitFilter.contentLength(" 0 ")).isZero();
    assertThat(BodyLimitFilter.contentLength("12,12")).isEqualTo(12);
    assertThat(BodyLimitFilter.contentLength("12, 12, 12")).isEqualTo(12);
  }

  @Test
  void differentOrMalformedLengthsAreInvalid() {
    assertThat(BodyLimitFilter.contentLength("12,13")).isEqualTo(-1);
    assertThat(BodyLimitFilter.contentLength("")).isEqualTo(-1);
    assertThat(BodyLimitFilter.contentLength("12,")).isEqualTo(-1);
    assertThat(BodyLimitFilter.contentLength("-1")).isEqualTo(-1);
    assertThat(BodyLimitFilter.contentLength("+5")).isEqualTo(-1);
    assertThat(BodyLimitFilter.contentLength("1e3")).isEqualTo(-1);
    assertThat(BodyLimitFilter.contentLength("99999999999999999999")).isEqualTo(-1);
  }
}
