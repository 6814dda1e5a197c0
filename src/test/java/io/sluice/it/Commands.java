package io.sluice.it;

import java.util.concurrent.TimeUnit;

/** Outside commands the ITs run (ip, nft, ...): output discarded, at most 30 s each. */
final class Commands {

  private Commands() {}

  /** Runs the command and fails unless it exits with 0. */
  static void must(String... cmd) throws Exception {
    int rc = run(cmd);
    if (rc != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " failed with " + rc);
    }
  }

  /** Runs the command; its exit code, or -1 when it did not finish within 30 s. */
  static int run(String... cmd) throws Exception {
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }
}
