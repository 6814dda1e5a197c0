package io.sluice.platform.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The server key ({@code SLUICE_SECRET_KEY}) that seals every secret at rest. With the embedded
 * database (dev mode) a key is generated once into the data directory; with PostgreSQL Sluice
 * refuses to start without a configured key. A check value in the database proves that the
 * configured key is the one the data was sealed with, so a wrong key fails at start-up instead of
 * later on every decryption.
 */
@ApplicationScoped
public class ServerKeys {

  private static final Logger LOG = System.getLogger(ServerKeys.class.getName());
  private static final String CHECK_NAME = "key-check";
  private static final String CHECK_PURPOSE = "key-check";
  private static final String CHECK_TEXT = "sluice-server-key";

  @Inject
  @ConfigProperty(name = "sluice.secret.key")
  Optional<String> configuredKey;

  @Inject
  @ConfigProperty(name = "sluice.data.dir")
  Optional<String> dataDir;

  @Inject SharedKeys keys;

  private volatile SecretBox box;
  private volatile byte[] rawKey;

  /** Loads or generates the key and verifies it against the database. */
  public void init(boolean embeddedDatabase) {
    byte[] key;
    if (configuredKey.filter(k -> !k.isBlank()).isPresent()) {
      key = SecretBox.parseKey(configuredKey.get());
    } else if (embeddedDatabase) {
      key = devKey();
    } else {
      throw new IllegalStateException(
          "SLUICE0010E: SLUICE_SECRET_KEY is not set. With PostgreSQL Sluice refuses to start without a server key; "
              + "generate one with `openssl rand -base64 32` and give the same value to every node.");
    }
    SecretBox candidate = new SecretBox(key);
    String check =
        keys.getOrCreate(CHECK_NAME, () -> candidate.sealString(CHECK_PURPOSE, CHECK_TEXT));
    try {
      if (!CHECK_TEXT.equals(candidate.openString(CHECK_PURPOSE, check))) {
        throw new IllegalArgumentException("check value differs");
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "SLUICE0011E: SLUICE_SECRET_KEY does not match the key this database's secrets were sealed with",
          e);
    }
    box = candidate;
    rawKey = key.clone();
  }

  /** A 32-byte key for one purpose, derived from the server key (HMAC-SHA256 of the purpose). */
  public byte[] derive(String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(rawKey, "HmacSHA256"));
      return mac.doFinal(("sluice-derived-key:" + purpose).getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("cannot derive a key", e);
    }
  }

  public SecretBox box() {
    SecretBox b = box;
    if (b == null) {
      throw new IllegalStateException("server key not initialised");
    }
    return b;
  }

  private byte[] devKey() {
    Path dir = Path.of(dataDir.orElseGet(ServerKeys::fallbackDataDir));
    Path file = dir.resolve("secret.key");
    try {
      if (Files.exists(file)) {
        return SecretBox.parseKey(Files.readString(file, StandardCharsets.US_ASCII));
      }
      Files.createDirectories(dir);
      byte[] key = SecretBox.newKey();
      Files.writeString(
          file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        LOG.log(
            Level.DEBUG,
            "data directory is not on a POSIX file system; key file permissions unchanged");
      }
      LOG.log(
          Level.WARNING,
          "SLUICE0012W: dev mode (embedded database): generated a server key into {0}. "
              + "Set SLUICE_SECRET_KEY for production.",
          file);
      return key;
    } catch (IOException e) {
      throw new IllegalStateException("cannot read or write the dev-mode server key at " + file, e);
    }
  }

  private static String fallbackDataDir() {
    String out = System.getProperty("server.output.dir");
    return out != null ? out + "/data" : System.getProperty("java.io.tmpdir") + "/sluice-data";
  }
}
