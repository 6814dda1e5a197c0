package io.sluice.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

  private final SecretBox box = new SecretBox(SecretBox.newKey());

  @Test
  void roundTripsAndUsesAFreshNonceEachTime() {
    String a = box.sealString("p", "secret value");
    String b = box.sealString("p", "secret value");
    assertThat(a).isNotEqualTo(b).startsWith("v1.").doesNotContain("secret");
    assertThat(box.openString("p", a)).isEqualTo("secret value");
    assertThat(box.openString("p", b)).isEqualTo("secret value");
  }

  @Test
  void purposeIsBound() {
    String sealed = box.sealString("proxy-user-secret", "x");
    assertThatThrownBy(() -> box.openString("jwt-signing-key", sealed))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anotherKeyCannotOpen() {
    String sealed = box.sealString("p", "x");
    SecretBox other = new SecretBox(SecretBox.newKey());
    assertThatThrownBy(() -> other.openString("p", sealed))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tamperingIsDetected() {
    String sealed = box.sealString("p", "some plaintext");
    byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
    raw[raw.length - 1] ^= 1;
    String tampered = "v1." + Base64.getEncoder().withoutPadding().encodeToString(raw);
    assertThatThrownBy(() -> box.openString("p", tampered))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> box.openString("p", "v1.AAAA"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> box.openString("p", "plain"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void parsesBase64KeysAndStretchesPassphrases() {
    byte[] key = SecretBox.newKey();
    assertThat(SecretBox.parseKey(Base64.getEncoder().encodeToString(key))).isEqualTo(key);
    assertThat(SecretBox.parseKey("a passphrase that is long enough for this!")).hasSize(32);
    assertThatThrownBy(() -> SecretBox.parseKey("short")).hasMessageContaining("SLUICE_SECRET_KEY");
  }

  @Test
  void constantTimeEquals() {
    assertThat(SecretBox.constantTimeEquals("abc", "abc")).isTrue();
    assertThat(SecretBox.constantTimeEquals("abc", "abd")).isFalse();
    assertThat(SecretBox.constantTimeEquals(null, "abc")).isFalse();
  }
}
