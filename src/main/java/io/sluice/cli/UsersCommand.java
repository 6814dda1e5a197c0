package io.sluice.cli;

import io.sluice.client.Page;
import io.sluice.client.UsersApi;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice users}: proxy users. A user is named by id or by username. */
@Command(
    name = "users",
    mixinStandardHelpOptions = true,
    description = "Proxy users: list, create, show, disable, enable, rm, env, password, usage.")
final class UsersCommand extends Group {

  static final String[] COLUMNS = {
    "id", "username", "enabled", "defaultPool", "maxConnections", "expiresAt", "note"
  };

  private UsersApi users() {
    return api().users();
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List proxy users.")
  void list(
      @Option(names = "--filter", paramLabel = "TEXT", description = "Username contains TEXT")
          String filter,
      @Option(names = "--page", defaultValue = "0", description = "Page from 0") int page,
      @Option(names = "--size", defaultValue = "50", description = "Page size, 1-500") int size) {
    Page<UsersApi.User> p = users().list(filter, page, size);
    out().list(p.items(), COLUMNS);
    out().note("page " + p.page() + ", " + p.items().size() + " of " + p.total());
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Create a proxy user; the generated password is shown once.")
  void create(
      @Parameters(paramLabel = "USERNAME") String username,
      @Option(names = "--max-connections", paramLabel = "N") Integer maxConnections,
      @Option(names = "--connections-per-minute", paramLabel = "N") Integer perMinute,
      @Option(names = "--bandwidth-up", paramLabel = "BPS") Long up,
      @Option(names = "--bandwidth-down", paramLabel = "BPS") Long down,
      @Option(names = "--expires-at", paramLabel = "ISO-8601") String expiresAt,
      @Option(names = "--note", paramLabel = "TEXT") String note,
      @Option(names = "--pool", paramLabel = "POOL", description = "Default pool") String pool,
      @Option(names = "--allow-source", paramLabel = "CIDR") List<String> sources,
      @Option(names = "--allow-destination", paramLabel = "DEST") List<String> destinations) {
    UsersApi.WithPassword created =
        users()
            .create(
                new UsersApi.NewUser(
                    username,
                    expiresAt,
                    maxConnections,
                    up,
                    down,
                    perMinute,
                    sources,
                    destinations,
                    note,
                    pool,
                    null));
    out().object(created);
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one proxy user.")
  void show(@Parameters(paramLabel = "USER", description = "Id or username") String user) {
    out().object(users().get(userId(user)));
  }

  @Command(
      name = "disable",
      mixinStandardHelpOptions = true,
      description = "Disable a proxy user (closes their sessions).")
  void disable(@Parameters(paramLabel = "USER") String user) {
    out().object(users().disable(userId(user)));
  }

  @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable a proxy user.")
  void enable(@Parameters(paramLabel = "USER") String user) {
    out().object(users().enable(userId(user)));
  }

  @Command(
      name = "rm",
      aliases = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a proxy user.")
  void rm(@Parameters(paramLabel = "USER") String user) {
    long id = userId(user);
    users().delete(id);
    out().note("Deleted proxy user " + id + ".");
  }

  @Command(
      name = "env",
      mixinStandardHelpOptions = true,
      description = "Proxy variables for the user's machines (table: export lines for a shell).")
  void env(@Parameters(paramLabel = "USER") String user) {
    Map<String, String> env = new TreeMap<>(users().proxyEnv(userId(user)));
    if (out().format() == Output.Format.table) {
      env.forEach(
          (k, v) -> root.out().println("export " + k + "='" + v.replace("'", "'\\''") + "'"));
      root.out().flush();
    } else {
      out().object(env);
    }
  }

  @Command(
      name = "password",
      mixinStandardHelpOptions = true,
      description = "Generate a new password (shown once; closes the user's sessions).")
  void password(@Parameters(paramLabel = "USER") String user) {
    out().object(users().rotatePassword(userId(user)));
  }

  @Command(
      name = "usage",
      mixinStandardHelpOptions = true,
      description = "Bytes and sessions of the user.")
  void usage(@Parameters(paramLabel = "USER") String user) {
    out().object(users().usage(userId(user)));
  }

  /** A user's id: the number itself, or the id of the user with exactly that username. */
  long userId(String ref) {
    if (ref.chars().allMatch(Character::isDigit) && !ref.isEmpty()) {
      return Long.parseLong(ref);
    }
    return users().list(ref, 0, 500).items().stream()
        .filter(u -> u.username().equalsIgnoreCase(ref))
        .map(UsersApi.User::id)
        .findFirst()
        .orElseThrow(
            () -> new CliException(ExitCodes.NOT_FOUND, "no proxy user named '" + ref + "'"));
  }
}
