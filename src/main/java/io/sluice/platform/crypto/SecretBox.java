package io.sluice.platform.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Authenticated encryption of small secrets with the server key: AES-256-GCM, a fresh 96-bit nonce
 * per message, the purpose bound as additional authenticated data so a ciphertext made for one
 * purpose cannot be replayed as another. Text form: {@code v1.<base64(nonce||ct||tag)>}.
 */
public final class SecretBox {

  private static final String PREFIX = "v1.";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public SecretBox(byte[] key32) {
    if (key32 == null || key32.length != 32) {
      throw new IllegalArgumentException("the server key must be 32 bytes");
    }
    this.key = new SecretKeySpec(key32.clone(), "AES");
  }

  /**
   * Parses the configured server key: base64 of exactly 32 bytes (as made by {@code openssl rand
   * -base64 32}), or any other string of at least 32 characters, which is stretched with SHA-256.
   */
  public static byte[] parseKey(String configured) {
    String value = configured.trim();
    try {
      byte[] decoded = Base64.getDecoder().decode(value);
      if (decoded.length == 32) {
        return decoded;
      }
    } catch (IllegalArgumentException notBase64) {
      // fall through to the passphrase form
    }
    if (value.length() < 32) {
      throw new IllegalArgumentException(
          "SLUICE_SECRET_KEY must be base64 of 32 random bytes (openssl rand -base64 32) or at least 32 characters");
    }
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  public static byte[] newKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  public String seal(String purpose, byte[] plaintext) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      byte[] ct = cipher.doFinal(plaintext);
      ByteBuffer out = ByteBuffer.allocate(nonce.length + ct.length).put(nonce).put(ct);
      return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(out.array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  public String sealString(String purpose, String plaintext) {
    return seal(purpose, plaintext.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decrypts and authenticates.
   *
   * @throws IllegalArgumentException if the text is not a sealed value or was made with another key
   *     or purpose
   */
  public byte[] open(String purpose, String sealed) {
    if (sealed == null || !sealed.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a sealed value");
    }
    byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
    if (all.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new IllegalArgumentException("sealed value too short");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("sealed value does not authenticate with this key", e);
    }
  }

  public String openString(String purpose, String sealed) {
    return new String(open(purpose, sealed), StandardCharsets.UTF_8);
  }

  /** Constant-time comparison of two strings (lengths may leak, contents do not). */
  public static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] copy(byte[] b) {
    return Arrays.copyOf(b, b.length);
  }
}
