package io.sluice.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code sluice stats}: the stats document (table: one dotted key per line). */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Users, VMs, sessions, address pools and external addresses.")
final class StatsCommand implements Callable<Integer> {

  @ParentCommand SluiceCli root;

  @Override
  public Integer call() {
    root.output().object(root.client().stats().get());
    return ExitCodes.OK;
  }
}
