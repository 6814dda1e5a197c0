package io.sluice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code sluice whoami}: the account and role of the token in use. */
@Command(
    name = "whoami",
    mixinStandardHelpOptions = true,
    description = "Show the account and role of the token in use.")
final class WhoamiCommand implements Callable<Integer> {

  @ParentCommand SluiceCli root;

  @Override
  public Integer call() {
    root.output().object(root.client().auth().me());
    return ExitCodes.OK;
  }
}
