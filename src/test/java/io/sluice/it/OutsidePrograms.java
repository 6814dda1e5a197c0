package io.sluice.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.util.concurrent.TimeUnit;

/**
 * The outside programs the integration tests drive for real (curl, microsocks, proxychains4,
 * PySocks). {@code scripts/test.sh} installs them; when one is missing anyway (a machine where
 * packages cannot be installed), the tests that need it are skipped with a message naming the
 * package, instead of failing with an unrelated error.
 */
final class OutsidePrograms {

  private OutsidePrograms() {}

  /**
   * Skips the calling test (or class, from {@code @BeforeAll}) unless {@code program} is on PATH.
   */
  static void require(String program, String debianPackage) {
    assumeTrue(
        onPath(program),
        program
            + " is not installed: scripts/test.sh installs it (apt-get install "
            + debianPackage
            + ")");
  }

  /** Skips unless {@code /usr/bin/python3} can import PySocks. */
  static void requirePySocks() {
    boolean ok;
    try {
      Process p =
          new ProcessBuilder("/usr/bin/python3", "-c", "import socks")
              .redirectErrorStream(true)
              .start();
      ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      ok = false;
    }
    assumeTrue(
        ok,
        "PySocks is not installed for /usr/bin/python3: scripts/test.sh installs it (apt-get install python3-socks)");
  }

  static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (new File(dir, program).canExecute()) {
        return true;
      }
    }
    return false;
  }
}
