package io.sluice.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  // Cheap parameters keep the test fast; production defaults are exercised once below.
  private final PasswordHasher hasher = new PasswordHasher(1024, 1, 1);

  @Test
  void verifiesTheRightPasswordOnly() {
    String phc = hasher.hash("correct horse battery staple");
    assertThat(phc).startsWith("$argon2id$v=19$m=1024,t=1,p=1$");
    assertThat(hasher.verify("correct horse battery staple", phc)).isTrue();
    assertThat(hasher.verify("correct horse battery stapler", phc)).isFalse();
    assertThat(hasher.verify("", phc)).isFalse();
  }

  @Test
  void saltsEveryHash() {
    assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same"));
  }

  @Test
  void parametersAreReadFromTheStoredHash() {
    String phc = new PasswordHasher().hash("pw-with-defaults");
    assertThat(phc).contains("m=19456,t=2,p=1");
    assertThat(hasher.verify("pw-with-defaults", phc)).isTrue();
  }

  @Test
  void malformedHashesVerifyNothing() {
    assertThat(hasher.verify("x", null)).isFalse();
    assertThat(hasher.verify("x", "$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA")).isFalse();
    assertThat(hasher.verify("x", "$argon2id$v=19$m=abc$c2FsdA$aGFzaA")).isFalse();
    assertThat(hasher.verify("x", "not a hash")).isFalse();
  }

  @Test
  void bouncyCastleArgon2idMatchesRfc9106Vector() {
    // RFC 9106 section 5.3 (Argon2id, version 0x13) test vector.
    byte[] password = new byte[32];
    java.util.Arrays.fill(password, (byte) 1);
    byte[] salt = new byte[16];
    java.util.Arrays.fill(salt, (byte) 2);
    byte[] secret = new byte[8];
    java.util.Arrays.fill(secret, (byte) 3);
    byte[] ad = new byte[12];
    java.util.Arrays.fill(ad, (byte) 4);
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(32)
            .withIterations(3)
            .withParallelism(4)
            .withSalt(salt)
            .withSecret(secret)
            .withAdditional(ad)
            .build();
    Argon2BytesGenerator gen = new Argon2BytesGenerator();
    gen.init(params);
    byte[] out = new byte[32];
    gen.generateBytes(password, out);
    assertThat(HexFormat.of().formatHex(out))
        .isEqualTo("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    assertThat("x".getBytes(StandardCharsets.UTF_8)).hasSize(1);
  }
}
