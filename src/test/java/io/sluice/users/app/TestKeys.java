package io.sluice.users.app;

import io.sluice.platform.crypto.SecretBox;
import io.sluice.platform.crypto.ServerKeys;

/** A server key generated for one test, without the database check. */
final class TestKeys extends ServerKeys {

  private final SecretBox box = new SecretBox(SecretBox.newKey());

  @Override
  public SecretBox box() {
    return box;
  }
}
