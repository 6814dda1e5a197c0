package io.sluice.admin.app;

import dev.samstevens.totp.code.CodeVerifier;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.DefaultCodeVerifier;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.recovery.RecoveryCodeGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.samstevens.totp.time.SystemTimeProvider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps, one step of clock skew either way) through the
 * {@code dev.samstevens.totp} library, plus one-time recovery codes hashed with SHA-256 (they are
 * random, so a fast hash is enough).
 */
final class Totp {

  static final String ISSUER = "Sluice";
  private static final CodeVerifier VERIFIER;

  static {
    DefaultCodeVerifier v =
        new DefaultCodeVerifier(
            new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6), new SystemTimeProvider());
    v.setAllowedTimePeriodDiscrepancy(1);
    VERIFIER = v;
  }

  private Totp() {}

  static String newSecret() {
    return new DefaultSecretGenerator(32).generate();
  }

  static boolean verify(String secret, String code) {
    return code != null && code.matches("\\d{6}") && VERIFIER.isValidCode(secret, code);
  }

  static String uri(String secret, String account) {
    return qrData(secret, account).getUri();
  }

  /** A PNG QR code of the otpauth URI, as a data URI. */
  static String qrPng(String secret, String account) {
    try {
      ZxingPngQrGenerator gen = new ZxingPngQrGenerator();
      return "data:image/png;base64,"
          + Base64.getEncoder().encodeToString(gen.generate(qrData(secret, account)));
    } catch (QrGenerationException e) {
      throw new IllegalStateException("cannot render the QR code", e);
    }
  }

  static String[] recoveryCodes() {
    return new RecoveryCodeGenerator().generateCodes(10);
  }

  static String hash(String recoveryCode) {
    try {
      String normalized = recoveryCode.trim().toLowerCase(Locale.ROOT);
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(normalized.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static QrData qrData(String secret, String account) {
    return new QrData.Builder()
        .label(account)
        .secret(secret)
        .issuer(ISSUER)
        .algorithm(HashingAlgorithm.SHA1)
        .digits(6)
        .period(30)
        .build();
  }
}
