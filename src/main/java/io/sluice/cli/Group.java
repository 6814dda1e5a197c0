package io.sluice.cli;

import io.sluice.client.SluiceClient;
import picocli.CommandLine.ParentCommand;

/** Base of the command groups ({@code users}, {@code exits}, ...): the client and the output. */
abstract class Group {

  @ParentCommand SluiceCli root;

  SluiceClient api() {
    return root.client();
  }

  Output out() {
    return root.output();
  }

  /** A numeric id from the command line, or a usage error naming what was expected. */
  static long id(String what, String value) {
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new CliException(ExitCodes.USAGE, what + " must be a numeric id, not '" + value + "'");
    }
  }

  /** The next line of standard input: a secret given without showing it in the process list. */
  String secretFromStdin(String what) {
    String line = root.env().readStdinLine();
    if (line == null || line.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "no " + what + " on standard input");
    }
    return line;
  }
}
