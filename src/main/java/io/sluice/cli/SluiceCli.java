package io.sluice.cli;

import io.sluice.client.AuthApi;
import io.sluice.client.Problem;
import io.sluice.client.SluiceApiException;
import io.sluice.client.SluiceClient;
import io.sluice.client.SluiceConnectionException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code sluice}: the root command. It holds the global options (inherited by every subcommand, so
 * they may stand before or after it), builds the client from {@code --server}/{@code SLUICE_URL}
 * and {@code --token}/{@code SLUICE_TOKEN} or the stored login (refreshed when it is about to
 * expire), and turns errors into a message on standard error and an {@link ExitCodes exit code}.
 */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = SluiceCli.Version.class,
    description = "Manage a Sluice egress gateway through its admin API.",
    footer = {
      "",
      "Environment: SLUICE_URL (server), SLUICE_TOKEN (access token or API key),",
      "XDG_CONFIG_HOME (where the login is kept). Exit codes: see docs/cli.md."
    },
    subcommands = {
      LoginCommand.class,
      LogoutCommand.class,
      WhoamiCommand.class,
      UsersCommand.class,
      ExitsCommand.class,
      PoolsCommand.class,
      ProvidersCommand.class,
      AgentsCommand.class,
      TunnelsCommand.class,
      SessionsCommand.class,
      StatsCommand.class,
      ExportsCommand.class,
      OpsCommands.Tor.class,
      OpsCommands.Vms.class,
      OpsCommands.Firewall.class,
      OpsCommands.Alerts.class,
      AdminsCommand.Admins.class,
      AdminsCommand.ApiKeys.class,
      CompletionCommand.class
    })
public final class SluiceCli implements Runnable {

  static final String DEFAULT_SERVER = "http://localhost:9080";

  /** Refresh the stored access token when it expires within this many seconds. */
  static final long REFRESH_MARGIN_SECONDS = 30;

  @Spec CommandSpec spec;

  @Option(
      names = {"-s", "--server"},
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "Server URL (default: SLUICE_URL, the stored login's server, " + DEFAULT_SERVER + ")")
  String server;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      paramLabel = "TOKEN",
      description = "Access token or API key instead of the stored login (default: SLUICE_TOKEN)")
  String token;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: table)")
  Output.Format format = Output.Format.table;

  private final Env env;

  public SluiceCli(Env env) {
    this.env = env;
  }

  public static void main(String[] args) {
    System.exit(commandLine(Env.system()).execute(args));
  }

  /** The configured command line: error handling and exit codes included. */
  public static CommandLine commandLine(Env env) {
    CommandLine cl = new CommandLine(new SluiceCli(env));
    cl.setExecutionExceptionHandler(SluiceCli::handle);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  Env env() {
    return env;
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  Output output() {
    return new Output(format, out());
  }

  CredentialsStore store() {
    return CredentialsStore.forEnv(env);
  }

  /** The server to talk to: --server, SLUICE_URL, the stored login's, or the default. */
  String serverUrl() {
    if (server != null) {
      return server;
    }
    if (env.get("SLUICE_URL") != null) {
      return env.get("SLUICE_URL");
    }
    return storedLogin().map(CredentialsStore.Credentials::server).orElse(DEFAULT_SERVER);
  }

  private Optional<CredentialsStore.Credentials> storedLogin() {
    return store().load();
  }

  /** A client without a token (login, refresh). */
  SluiceClient anonymous() {
    return client(serverUrl(), null);
  }

  /** A client with the caller's token: --token, SLUICE_TOKEN, or the stored login. */
  SluiceClient client() {
    String url = serverUrl();
    if (token != null) {
      return client(url, token);
    }
    if (env.get("SLUICE_TOKEN") != null) {
      return client(url, env.get("SLUICE_TOKEN"));
    }
    CredentialsStore.Credentials c =
        storedLogin()
            .orElseThrow(() ->
                new CliException(
                    ExitCodes.UNAUTHORIZED,
                    "not logged in: run 'sluice login', or set SLUICE_TOKEN or --token"));
    if (!sameServer(c.server(), url)) {
      throw new CliException(
          ExitCodes.UNAUTHORIZED,
          "the stored login is for " + c.server() + ", not " + url + ": run 'sluice login'");
    }
    return client(url, fresh(c).accessToken());
  }

  private static boolean sameServer(String a, String b) {
    return strip(a).equals(strip(b));
  }

  private static String strip(String url) {
    String u = url.strip();
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    return u;
  }

  /**
   * The stored login, refreshed (and stored again) when its access token is about to expire. The
   * refresh happens under the credentials file's lock and re-reads the file first, so concurrent
   * {@code sluice} processes refresh once and share the result.
   */
  private CredentialsStore.Credentials fresh(CredentialsStore.Credentials c) {
    if (!expiring(c)) {
      return c;
    }
    CredentialsStore store = store();
    return store.whileLocked(() -> {
      CredentialsStore.Credentials now = store.load().orElse(c);
      return expiring(now) ? refresh(store, now) : now;
    });
  }

  private static boolean expiring(CredentialsStore.Credentials c) {
    return c.accessExpiresAt() - REFRESH_MARGIN_SECONDS <= Instant.now().getEpochSecond();
  }

  private CredentialsStore.Credentials refresh(
      CredentialsStore store, CredentialsStore.Credentials c) {
    if (c.refreshToken() == null || c.refreshExpiresAt() <= Instant.now().getEpochSecond()) {
      throw new CliException(ExitCodes.UNAUTHORIZED, "the login has expired: run 'sluice login'");
    }
    AuthApi.Token t;
    try {
      t = client(c.server(), null).auth().refresh(new AuthApi.RefreshToken(c.refreshToken()));
    } catch (SluiceApiException e) {
      if (e.status() == 401) {
        store.delete();
        throw new CliException(
            ExitCodes.UNAUTHORIZED, "the login has expired or was revoked: run 'sluice login'");
      }
      throw e;
    }
    CredentialsStore.Credentials next = LoginCommand.credentials(c.server(), c.username(), t);
    store.save(next);
    return next;
  }

  static SluiceClient client(String url, String token) {
    try {
      return SluiceClient.builder().server(url).token(token).build();
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.USAGE, e.getMessage());
    }
  }

  /** Every failure ends here: one message on standard error, and the exit code. */
  static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
    PrintWriter err = cl.getErr();
    int code;
    if (e instanceof SluiceApiException api) {
      Problem p = api.problem();
      err.println(
          "error: "
              + p.title()
              + (p.detail() == null ? "" : ": " + p.detail())
              + " (HTTP "
              + api.status()
              + ", "
              + p.name()
              + ")");
      if (p.errors() != null) {
        for (Problem.FieldError f : p.errors()) {
          err.println("  " + f.field() + ": " + f.message());
        }
      }
      code = ExitCodes.forStatus(api.status());
    } else if (e instanceof SluiceConnectionException c) {
      err.println("error: " + c.getMessage());
      code = ExitCodes.UNREACHABLE;
    } else if (e instanceof CliException c) {
      err.println("error: " + c.getMessage());
      code = c.exitCode();
    } else {
      err.println("error: " + e);
      code = ExitCodes.ERROR;
    }
    err.flush();
    return code;
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SluiceCli.class.getPackage().getImplementationVersion();
      return new String[] {"sluice " + (v == null ? "(development build)" : v)};
    }
  }
}
