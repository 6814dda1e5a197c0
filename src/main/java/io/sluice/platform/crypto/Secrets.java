package io.sluice.platform.crypto;

import java.security.SecureRandom;

/** High-entropy generated secrets (proxy-user passwords, initial admin passwords). */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();
  // No look-alike characters and nothing that needs escaping in a URL or host:port:user:pass line.
  private static final char[] ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

  private Secrets() {}

  /** A random string of {@code length} characters (~5.8 bits each; 24 gives ~140 bits). */
  public static String random(int length) {
    char[] out = new char[length];
    for (int i = 0; i < length; i++) {
      out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new String(out);
  }
}
