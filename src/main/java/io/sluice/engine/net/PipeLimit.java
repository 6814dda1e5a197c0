package io.sluice.engine.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Linux's limit on the pipe memory of one user, which the splice pipes count against.
 *
 * <p>Every pipe takes 16 pages (64 KiB) from {@code fs.pipe-user-pages-soft} (16,384 pages by
 * default) of its user. Once an unprivileged user holds that many, each new pipe gets 2 pages (8
 * KiB), so a spliced direction then moves at most 8 KiB per {@code splice} call: eight times the
 * system calls per byte. With the default, 1,024 pipes are full size: 512 tunnels that splice in
 * both directions. Root and processes with {@code CAP_SYS_RESOURCE} or {@code CAP_SYS_ADMIN} are
 * not limited; the container image and the Kubernetes manifests run as user 1001, which is.
 * Measured on this kernel: as user {@code nobody}, pipes 1 to 1,024 had 65,536 bytes, every one
 * after that 8,192 (docs/configuration.md).
 */
public final class PipeLimit {

  private static final long CAP_SYS_ADMIN = 1L << 21;
  private static final long CAP_SYS_RESOURCE = 1L << 24;
  private static final long PAGES_PER_PIPE = 16;

  private PipeLimit() {}

  /** What to tell the operator, or empty when the limit does not bind this process. */
  public static Optional<String> check() {
    return check(Path.of("/proc/sys/fs/pipe-user-pages-soft"), Path.of("/proc/self/status"));
  }

  static Optional<String> check(Path softLimit, Path status) {
    try {
      long soft = Long.parseLong(Files.readString(softLimit).trim());
      if (soft <= 0) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(status);
      long euid = field(lines, "Uid:", 2, 10);
      long capEff = field(lines, "CapEff:", 1, 16);
      if (euid <= 0 || capEff < 0 || (capEff & (CAP_SYS_ADMIN | CAP_SYS_RESOURCE)) != 0) {
        return Optional.empty();
      }
      long pipes = soft / PAGES_PER_PIPE;
      return Optional.of(
          String.format(
              Locale.ROOT,
              "fs.pipe-user-pages-soft is %d pages and this process runs unprivileged (uid %d):"
                  + " %d splice pipes get 64 KiB, every later one 8 KiB (eight times the splice"
                  + " calls per byte), that is about %d tunnels that splice both ways; raise the"
                  + " sysctl on the host (0 = no limit) where more tunnels carry bulk data",
              soft,
              euid,
              pipes,
              pipes / 2));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // not Linux, or /proc not readable: nothing known to tell
    }
  }

  /**
   * Column {@code index} of the {@code /proc/PID/status} line starting with {@code name}, in {@code
   * radix}; -1 when there is no such line.
   */
  static long field(List<String> statusLines, String name, int index, int radix) {
    for (String line : statusLines) {
      String[] f = line.trim().split("\\s+");
      if (f[0].equals(name) && f.length > index) {
        return Long.parseUnsignedLong(f[index], radix);
      }
    }
    return -1;
  }
}
