package io.sluice.admin.app;

import io.sluice.admin.domain.AdminAccountEntity;
import io.sluice.admin.domain.AdminRepository;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@link AdminRepository} in memory, for unit tests. Entities are kept by reference, so changes a
 * service makes to a loaded account are "saved" as with a managed JPA entity.
 */
final class InMemoryAdminRepository implements AdminRepository {

  private final TreeMap<Long, AdminAccountEntity> accounts = new TreeMap<>();

  /** Recovery code hashes per admin, with whether each was used. */
  private final Map<Long, Map<String, Boolean>> recoveryCodes = new HashMap<>();

  private long sequence;

  @Override
  public Optional<AdminAccountEntity> byUsername(String username) {
    return accounts.values().stream().filter(a -> a.getUsername().equals(username)).findFirst();
  }

  @Override
  public Optional<AdminAccountEntity> byId(long id) {
    return Optional.ofNullable(accounts.get(id));
  }

  @Override
  public List<AdminAccountEntity> all() {
    return new ArrayList<>(accounts.values());
  }

  @Override
  public long count() {
    return accounts.size();
  }

  @Override
  public void replaceRecoveryCodes(long adminId, List<String> hashes) {
    Map<String, Boolean> codes = new HashMap<>();
    hashes.forEach(h -> codes.put(h, false));
    recoveryCodes.put(adminId, codes);
  }

  @Override
  public boolean useRecoveryCode(long adminId, String hash) {
    Map<String, Boolean> codes = recoveryCodes.getOrDefault(adminId, Map.of());
    if (!Boolean.FALSE.equals(codes.get(hash))) {
      return false;
    }
    codes.put(hash, true);
    return true;
  }

  @Override
  public AdminAccountEntity insert(AdminAccountEntity admin) {
    if (byUsername(admin.getUsername()).isPresent()) {
      throw new IllegalStateException("unique constraint: username " + admin.getUsername());
    }
    long id = ++sequence;
    try {
      Field f = AdminAccountEntity.class.getDeclaredField("id"); // assigned by the sequence in JPA
      f.setAccessible(true);
      f.set(admin, id);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
    accounts.put(id, admin);
    return admin;
  }

  Set<Long> ids() {
    return accounts.keySet();
  }
}
