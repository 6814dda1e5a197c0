package io.sluice.cli;

import io.sluice.client.AuthApi;
import io.sluice.client.SluiceApiException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sluice login}: asks for the password (and the TOTP code when the account has two-factor
 * login on) on the terminal, or reads it from standard input with {@code --password-stdin}, and
 * keeps the access and refresh tokens in the credentials file. A forced first password change is
 * done on the spot: the new password is asked twice, or read as the second line of standard input.
 */
@Command(
    name = "login",
    mixinStandardHelpOptions = true,
    description = "Log in and keep the token in $XDG_CONFIG_HOME/sluice/ (mode 0600).")
final class LoginCommand implements Callable<Integer> {

  @ParentCommand SluiceCli root;

  @Option(
      names = {"-u", "--user"},
      paramLabel = "NAME",
      description = "Admin account (default: the stored login's, else admin)")
  String user;

  @Option(
      names = "--password-stdin",
      description =
          "Read the password from the first line of standard input (a second line is the new"
              + " password when the server requires a change)")
  boolean passwordStdin;

  @Option(names = "--totp", paramLabel = "CODE", description = "TOTP code (else asked for)")
  String totp;

  @Option(names = "--recovery-code", paramLabel = "CODE", description = "A recovery code")
  String recoveryCode;

  @Override
  public Integer call() {
    Env env = root.env();
    Env.Prompter prompter = env.prompter();
    String url = root.serverUrl();
    String username = user;
    if (username == null) {
      username = root.store().load().map(CredentialsStore.Credentials::username).orElse("admin");
    }
    String password = password(env, prompter, "Password for " + username + ": ");
    AuthApi auth = root.anonymous().auth();
    AuthApi.Token t;
    try {
      t = auth.login(new AuthApi.Login(username, password, totp, recoveryCode));
    } catch (SluiceApiException e) {
      if (!"totp-required".equals(e.problem().name()) || totp != null || recoveryCode != null) {
        throw e;
      }
      if (prompter == null) {
        throw new CliException(
            ExitCodes.UNAUTHORIZED, "the account needs a TOTP code: pass --totp CODE");
      }
      String code = prompter.readLine("TOTP code: ");
      t = auth.login(new AuthApi.Login(username, password, code == null ? "" : code.strip(), null));
    }
    if (Boolean.TRUE.equals(t.passwordChangeRequired())) {
      String next = newPassword(env, prompter);
      t =
          SluiceCli.client(url, t.accessToken())
              .auth()
              .changePassword(new AuthApi.PasswordChange(password, next));
    }
    root.store().save(credentials(url, username, t));
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("server", url);
    result.put("username", username);
    result.put("role", t.role());
    result.put("expiresIn", t.expiresIn());
    if (root.format == Output.Format.table) {
      root.out().println("Logged in to " + url + " as " + username + " (" + t.role() + ")");
      root.out().flush();
    } else {
      root.output().object(result);
    }
    return ExitCodes.OK;
  }

  private String password(Env env, Env.Prompter prompter, String prompt) {
    String p;
    if (passwordStdin) {
      p = env.readStdinLine();
    } else if (prompter != null) {
      char[] chars = prompter.readPassword(prompt);
      p = chars == null ? null : new String(chars);
    } else {
      throw new CliException(
          ExitCodes.USAGE, "no terminal to ask for the password: use --password-stdin");
    }
    if (p == null || p.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, "no password given");
    }
    return p;
  }

  private String newPassword(Env env, Env.Prompter prompter) {
    if (passwordStdin) {
      String next = env.readStdinLine();
      if (next == null || next.isEmpty()) {
        throw new CliException(
            ExitCodes.UNAUTHORIZED,
            "the server requires a new password first: give it as the second line of standard"
                + " input, or run 'sluice login' on a terminal");
      }
      return next;
    }
    root.err().println("The server requires a new password (at least 12 characters).");
    root.err().flush();
    String first = new String(prompter.readPassword("New password: "));
    String again = new String(prompter.readPassword("New password again: "));
    if (!first.equals(again)) {
      throw new CliException(ExitCodes.USAGE, "the new passwords differ");
    }
    return first;
  }

  static CredentialsStore.Credentials credentials(String url, String username, AuthApi.Token t) {
    long now = Instant.now().getEpochSecond();
    return new CredentialsStore.Credentials(
        url,
        username,
        t.accessToken(),
        now + (t.expiresIn() == null ? 0 : t.expiresIn()),
        t.refreshToken(),
        t.refreshToken() == null || t.refreshExpiresIn() == null ? 0 : now + t.refreshExpiresIn());
  }
}
