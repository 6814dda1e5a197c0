package io.sluice.admin.domain;

import java.util.List;
import java.util.Optional;

/** Admin accounts and their TOTP recovery codes. Callers own the transaction. */
public interface AdminRepository {

  Optional<AdminAccountEntity> byUsername(String username);

  Optional<AdminAccountEntity> byId(long id);

  /** All accounts ordered by id. */
  List<AdminAccountEntity> all();

  long count();

  /** Replaces the admin's recovery codes by these hashes (all unused). */
  void replaceRecoveryCodes(long adminId, List<String> hashes);

  /** Marks an unused recovery code as used; false if it does not exist or was used already. */
  boolean useRecoveryCode(long adminId, String hash);

  /** Stores a new account (its id is assigned here) and returns it. */
  AdminAccountEntity insert(AdminAccountEntity admin);
}
