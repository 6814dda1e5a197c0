package io.sluice.cli;

import io.sluice.client.AdminsApi;
import io.sluice.client.ApiKeysApi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice admins} and {@code sluice api-keys}: who may use the admin API. */
final class AdminsCommand {

  private AdminsCommand() {}

  /** {@code sluice admins}: admin and viewer accounts. */
  @Command(
      name = "admins",
      mixinStandardHelpOptions = true,
      description = "Admin accounts: list, create, disable, enable.")
  static final class Admins extends Group {

    static final String[] COLUMNS = {
      "id", "username", "role", "enabled", "passwordChangeRequired", "lastLoginAt"
    };

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List admin accounts.")
    void list() {
      out().list(api().admins().list().items(), COLUMNS);
    }

    @Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description =
            "Create an account; its first password is read from standard input and must be"
                + " changed at first login.")
    void create(
        @Parameters(paramLabel = "USERNAME") String username,
        @Option(names = "--role", defaultValue = "viewer", description = "admin or viewer")
            String role,
        @Option(
                names = "--password-stdin",
                required = true,
                description = "Read the first password from standard input")
            boolean passwordStdin) {
      String password = secretFromStdin("password");
      out().object(api().admins().create(new AdminsApi.NewAdmin(username, password, role)));
    }

    @Command(
        name = "disable",
        mixinStandardHelpOptions = true,
        description = "Disable an account (not your own); its tokens stop working.")
    void disable(@Parameters(paramLabel = "ID") String id) {
      out().object(api().admins().disable(id("admin", id)));
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Enable an account.")
    void enable(@Parameters(paramLabel = "ID") String id) {
      out().object(api().admins().enable(id("admin", id)));
    }
  }

  /** {@code sluice api-keys}: keys for automation clients. */
  @Command(
      name = "api-keys",
      mixinStandardHelpOptions = true,
      description = "API keys for automation: list, create, revoke.")
  static final class ApiKeys extends Group {

    static final String[] COLUMNS = {
      "id", "name", "role", "active", "createdBy", "expiresAt", "revokedAt", "lastUsedAt"
    };

    @Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List API keys, revoked ones included (never their tokens).")
    void list() {
      out().list(api().apiKeys().list().items(), COLUMNS);
    }

    @Command(
        name = "create",
        mixinStandardHelpOptions = true,
        description = "Create an API key; its token is shown once (use it as SLUICE_TOKEN).")
    void create(
        @Parameters(paramLabel = "NAME") String name,
        @Option(names = "--role", defaultValue = "orchestrator", description = "orchestrator")
            String role,
        @Option(names = "--expires-at", paramLabel = "ISO-8601", description = "Default: 365 days")
            String expiresAt) {
      out().object(api().apiKeys().create(new ApiKeysApi.NewApiKey(name, role, expiresAt)));
    }

    @Command(
        name = "revoke",
        mixinStandardHelpOptions = true,
        description = "Revoke an API key: its next call is refused.")
    void revoke(@Parameters(paramLabel = "ID") String id) {
      long key = id("API key", id);
      api().apiKeys().revoke(key);
      out().note("Revoked API key " + key + ".");
    }
  }
}
