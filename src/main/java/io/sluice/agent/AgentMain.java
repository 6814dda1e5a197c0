package io.sluice.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar sluice-agent.jar --server wss://... --token ... --allow ...}: parses the command
 * line (bad arguments: usage on stderr, exit code 2) and runs the {@link Agent} until the JVM is
 * stopped.
 */
public final class AgentMain {

  private AgentMain() {}

  public static void main(String[] args) {
    int code = run(Arrays.asList(args), System.getenv(), System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** The version in the jar manifest, or {@code dev} when run from classes. */
  public static String version() {
    String v = AgentMain.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    if (AgentOptions.wantsHelp(args)) {
      out.print(AgentOptions.USAGE);
      return 0;
    }
    AgentOptions options;
    try {
      options = AgentOptions.parse(args, env, AgentOptions::readFile);
    } catch (UsageException e) {
      err.println("sluice-agent: " + e.getMessage());
      err.print(AgentOptions.USAGE);
      return 2;
    }
    AgentLog log = new AgentLog(err, options.verbose());
    Agent agent;
    try {
      agent = new Agent(options, log, "sluice-agent/" + version());
    } catch (IOException | GeneralSecurityException e) {
      err.println("sluice-agent: --ca-file: " + Describe.cause(e));
      return 2;
    }
    log.info(
        "version "
            + version()
            + " starting, server "
            + options.server()
            + ", agent "
            + options.agentId()
            + ", "
            + options.allowList().rules().size()
            + " allow entries");
    Runtime.getRuntime().addShutdownHook(new Thread(agent::stop, "sluice-agent-shutdown"));
    try {
      agent.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }
}
