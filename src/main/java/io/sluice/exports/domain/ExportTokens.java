package io.sluice.exports.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed, expiring tokens for export links.
 *
 * <p>A token is {@code base64url(payload) + "." + base64url(mac)}, both without padding, where
 * {@code payload = exportId + "|" + expiresAtEpochSeconds} (UTF-8, which is ASCII here) and {@code
 * mac = HMAC-SHA256(key, payload bytes)}. Sub-second precision of the expiry is dropped.
 *
 * <p>{@link #verify} accepts only tokens this class could have issued: at most 512 characters,
 * exactly one {@code .}, canonical unpadded base64url in both parts (so no two strings verify as
 * the same token), a 32-byte MAC that matches (compared in constant time), a payload with exactly
 * one {@code |}, an export id matching {@code [A-Za-z0-9_-]{1,64}} and a decimal expiry; and the
 * token is valid only while {@code now < expiresAt} ({@code expiresAt == now} is expired).
 *
 * <p>Use a key dedicated to export links. Instances are immutable and thread-safe.
 */
public final class ExportTokens {

  /** Tokens longer than this are rejected without decoding. */
  public static final int MAX_TOKEN_LENGTH = 512;

  private static final String ALGORITHM = "HmacSHA256";
  private static final int KEY_LENGTH = 32;
  private static final int MAC_LENGTH = 32;
  private static final Pattern EXPORT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern EPOCH_SECONDS = Pattern.compile("0|[1-9][0-9]{0,18}");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final SecretKeySpec key;

  /**
   * @param hmacKey32 exactly 32 bytes of secret key material; copied
   * @throws IllegalArgumentException if the key is not 32 bytes
   */
  public ExportTokens(byte[] hmacKey32) {
    Objects.requireNonNull(hmacKey32, "hmacKey32");
    if (hmacKey32.length != KEY_LENGTH) {
      throw new IllegalArgumentException(
          "HMAC key must be " + KEY_LENGTH + " bytes, was " + hmacKey32.length);
    }
    this.key = new SecretKeySpec(hmacKey32.clone(), ALGORITHM);
  }

  /**
   * Issues a token for {@code exportId} valid until {@code expiresAt} (exclusive, whole seconds).
   *
   * @throws IllegalArgumentException if {@code exportId} does not match {@code [A-Za-z0-9_-]{1,64}}
   *     or {@code expiresAt} is before the epoch
   */
  public String issue(String exportId, Instant expiresAt) {
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (exportId == null || !EXPORT_ID.matcher(exportId).matches()) {
      throw new IllegalArgumentException("exportId must match [A-Za-z0-9_-]{1,64}");
    }
    if (expiresAt.getEpochSecond() < 0) {
      throw new IllegalArgumentException("expiresAt must not be before 1970-01-01T00:00:00Z");
    }
    byte[] payload =
        (exportId + "|" + expiresAt.getEpochSecond()).getBytes(StandardCharsets.US_ASCII);
    return B64.encodeToString(payload) + "." + B64.encodeToString(mac(payload));
  }

  /**
   * Verifies a token at {@code now}.
   *
   * @return the export id and expiry, or empty if the token is null, malformed, too long, signed
   *     with another key, tampered with, or expired ({@code now >= expiresAt})
   */
  public Optional<Verified> verify(String token, Instant now) {
    Objects.requireNonNull(now, "now");
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot <= 0 || dot != token.lastIndexOf('.') || dot == token.length() - 1) {
      return Optional.empty();
    }
    byte[] payload = decodeCanonical(token.substring(0, dot));
    byte[] mac = decodeCanonical(token.substring(dot + 1));
    if (payload == null || mac == null || mac.length != MAC_LENGTH) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(mac(payload), mac)) {
      return Optional.empty();
    }
    // Authentic from here on; still parse strictly (defence in depth against key reuse).
    String text = new String(payload, StandardCharsets.US_ASCII);
    int bar = text.indexOf('|');
    if (bar < 0 || bar != text.lastIndexOf('|')) {
      return Optional.empty();
    }
    String exportId = text.substring(0, bar);
    String seconds = text.substring(bar + 1);
    if (!EXPORT_ID.matcher(exportId).matches() || !EPOCH_SECONDS.matcher(seconds).matches()) {
      return Optional.empty();
    }
    Instant expiresAt;
    try {
      expiresAt = Instant.ofEpochSecond(Long.parseLong(seconds));
    } catch (NumberFormatException | DateTimeException e) {
      return Optional.empty();
    }
    if (!now.isBefore(expiresAt)) {
      return Optional.empty();
    }
    return Optional.of(new Verified(exportId, expiresAt));
  }

  /** Decodes unpadded base64url, or null if the text is not exactly what the encoder produces. */
  private static byte[] decodeCanonical(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        return null; // also rejects '=' padding
      }
    }
    byte[] bytes;
    try {
      bytes = B64D.decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
    // Non-zero unused bits in the last character decode to the same bytes: reject them.
    return B64.encodeToString(bytes).equals(text) ? bytes : null;
  }

  private byte[] mac(byte[] payload) {
    try {
      Mac m = Mac.getInstance(ALGORITHM);
      m.init(key);
      return m.doFinal(payload);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** A token that verified: the export it grants and when it stops doing so. */
  public record Verified(String exportId, Instant expiresAt) {
    public Verified {
      Objects.requireNonNull(exportId, "exportId");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  @Override
  public String toString() {
    return "ExportTokens[key=***]";
  }
}
