package io.sluice.admin.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.binary.Base32;
import org.junit.jupiter.api.Test;

class TotpTest {

  /** RFC 6238 Appendix B: SHA-1, 8 digits, secret "12345678901234567890", T0 = 0, X = 30. */
  @Test
  void libraryMatchesRfc6238AppendixB() throws Exception {
    String secret =
        new Base32().encodeToString("12345678901234567890".getBytes(StandardCharsets.US_ASCII));
    DefaultCodeGenerator gen = new DefaultCodeGenerator(HashingAlgorithm.SHA1, 8);
    long[][] vectors = {
      {59L, 94287082L}, {1111111109L, 7081804L}, {1111111111L, 14050471L},
      {1234567890L, 89005924L}, {2000000000L, 69279037L}, {20000000000L, 65353130L}
    };
    for (long[] v : vectors) {
      assertThat(gen.generate(secret, v[0] / 30))
          .as("T=%d", v[0])
          .isEqualTo(String.format("%08d", v[1]));
    }
  }

  @Test
  void verifiesCurrentCodesOnly() throws Exception {
    String secret = Totp.newSecret();
    DefaultCodeGenerator gen = new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6);
    long step = System.currentTimeMillis() / 1000 / 30;
    assertThat(Totp.verify(secret, gen.generate(secret, step))).isTrue();
    assertThat(Totp.verify(secret, gen.generate(secret, step - 1))).as("one step of skew").isTrue();
    assertThat(Totp.verify(secret, gen.generate(secret, step - 3))).as("too old").isFalse();
    assertThat(Totp.verify(secret, "12345")).isFalse();
    assertThat(Totp.verify(secret, null)).isFalse();
  }

  @Test
  void uriQrAndRecoveryCodes() {
    String secret = Totp.newSecret();
    assertThat(Totp.uri(secret, "admin"))
        .startsWith("otpauth://totp/")
        .contains("secret=" + secret)
        .contains("issuer=Sluice");
    assertThat(Totp.qrPng(secret, "admin")).startsWith("data:image/png;base64,iVBOR");
    String[] codes = Totp.recoveryCodes();
    assertThat(codes).hasSize(10).doesNotHaveDuplicates();
    assertThat(Totp.hash(codes[0]))
        .hasSize(64)
        .isEqualTo(Totp.hash(" " + codes[0].toUpperCase() + " "));
  }
}
