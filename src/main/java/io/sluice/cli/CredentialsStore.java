package io.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.client.SluiceClient;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The stored login: {@code $XDG_CONFIG_HOME/sluice/credentials.json} (or {@code
 * ~/.config/sluice/credentials.json}), readable by its owner only. The directory is created with
 * mode 0700 and the file is written as a new 0600 file and moved into place, so the tokens are
 * never readable by others, not even for a moment. A file that others can read is refused, as ssh
 * does with private keys.
 */
public final class CredentialsStore {

  static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

  /** What {@code sluice login} keeps. Times are epoch seconds. */
  public record Credentials(
      String server,
      String username,
      String accessToken,
      long accessExpiresAt,
      String refreshToken,
      long refreshExpiresAt) {}

  private final Path file;
  private final ObjectMapper json = SluiceClient.objectMapper();

  public CredentialsStore(Path file) {
    this.file = file;
  }

  /** The store for this environment: XDG_CONFIG_HOME, else HOME/.config. */
  public static CredentialsStore forEnv(Env env) {
    String xdg = env.get("XDG_CONFIG_HOME");
    Path base;
    if (xdg != null && Path.of(xdg).isAbsolute()) {
      base = Path.of(xdg);
    } else {
      String home = env.get("HOME");
      base = Path.of(home != null ? home : System.getProperty("user.home"), ".config");
    }
    return new CredentialsStore(base.resolve("sluice").resolve("credentials.json"));
  }

  public Path file() {
    return file;
  }

  public Optional<Credentials> load() {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (!FILE_MODE.containsAll(mode)) {
        throw new CliException(
            ExitCodes.UNAUTHORIZED,
            file
                + " is accessible by others ("
                + PosixFilePermissions.toString(mode)
                + "); run chmod 600 on it or log in again after deleting it");
      }
      return Optional.of(json.readValue(file.toFile(), Credentials.class));
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot read " + file + ": " + e.getMessage());
    }
  }

  public void save(Credentials c) {
    try {
      Path dir = file.getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
      }
      Path tmp = dir.resolve(file.getFileName() + ".tmp");
      Files.deleteIfExists(tmp);
      try {
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE_MODE));
      } catch (FileAlreadyExistsException raced) {
        throw new CliException(ExitCodes.ERROR, "another sluice is writing " + tmp);
      }
      Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(c));
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(file, FILE_MODE);
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot write " + file + ": " + e.getMessage());
    }
  }

  /**
   * Runs {@code action} holding an exclusive lock on {@code credentials.json.lock} next to the
   * file, so that two {@code sluice} processes do not both spend the same refresh token (the server
   * treats the second use as token theft and revokes the login).
   */
  public <T> T whileLocked(java.util.function.Supplier<T> action) {
    Path lock = file.resolveSibling(file.getFileName() + ".lock");
    try {
      if (!Files.exists(lock)) {
        try {
          Files.createFile(lock, PosixFilePermissions.asFileAttribute(FILE_MODE));
        } catch (FileAlreadyExistsException raced) {
          // another sluice created it first; lock it below
        }
      }
      try (java.nio.channels.FileChannel ch =
              java.nio.channels.FileChannel.open(lock, java.nio.file.StandardOpenOption.WRITE);
          java.nio.channels.FileLock held = ch.lock()) {
        return action.get();
      }
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot lock " + lock + ": " + e.getMessage());
    }
  }

  /** Removes the stored login; true when there was one. */
  public boolean delete() {
    try {
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot delete " + file + ": " + e.getMessage());
    }
  }
}
