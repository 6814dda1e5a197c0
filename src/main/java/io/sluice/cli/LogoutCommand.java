package io.sluice.cli;

import io.sluice.client.AuthApi;
import io.sluice.client.SluiceApiException;
import io.sluice.client.SluiceConnectionException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code sluice logout}: revokes the stored login's refresh tokens and deletes the file. */
@Command(
    name = "logout",
    mixinStandardHelpOptions = true,
    description = "Revoke the stored login on the server and delete it here.")
final class LogoutCommand implements Callable<Integer> {

  @ParentCommand SluiceCli root;

  @Override
  public Integer call() {
    CredentialsStore store = root.store();
    var stored = store.load();
    if (stored.isEmpty()) {
      root.output().note("Not logged in.");
      return ExitCodes.OK;
    }
    var c = stored.get();
    if (c.refreshToken() != null) {
      try {
        SluiceCli.client(c.server(), null)
            .auth()
            .logout(new AuthApi.RefreshToken(c.refreshToken()));
      } catch (SluiceApiException | SluiceConnectionException e) {
        root.err().println("warning: the server did not revoke the login: " + e.getMessage());
        root.err().flush();
      }
    }
    store.delete();
    root.output().note("Logged out of " + c.server() + ".");
    return ExitCodes.OK;
  }
}
