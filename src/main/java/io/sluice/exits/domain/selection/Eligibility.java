package io.sluice.exits.domain.selection;

import java.util.List;
import java.util.Set;

/** Which members of a pool a request may use: selectable state, requested country, not excluded. */
final class Eligibility {

  private Eligibility() {}

  static boolean test(ExitView e, SelectionRequest r) {
    if (!e.selectable()) {
      return false;
    }
    String country = r.country();
    if (country != null && !country.equals(e.country())) {
      return false;
    }
    Set<Long> excluded = r.excludedExitIds();
    return excluded.isEmpty() || !excluded.contains(e.id());
  }

  /** Number of eligible members. */
  static int count(PoolSnapshot pool, SelectionRequest r) {
    List<ExitView> members = pool.members();
    int count = 0;
    for (int i = 0, n = members.size(); i < n; i++) {
      if (test(members.get(i), r)) {
        count++;
      }
    }
    return count;
  }

  /** The k-th (0-based) eligible member in id order, or null. */
  static ExitView nth(PoolSnapshot pool, SelectionRequest r, int k) {
    List<ExitView> members = pool.members();
    for (int i = 0, n = members.size(); i < n; i++) {
      ExitView e = members.get(i);
      if (test(e, r) && k-- == 0) {
        return e;
      }
    }
    return null;
  }

  /** The eligible member with this id, or null. */
  static ExitView find(PoolSnapshot pool, SelectionRequest r, long exitId) {
    List<ExitView> members = pool.members();
    for (int i = 0, n = members.size(); i < n; i++) {
      ExitView e = members.get(i);
      if (e.id() == exitId) {
        return test(e, r) ? e : null;
      }
    }
    return null;
  }

  /**
   * Why nothing of the pool is eligible, or null if something is. Order: empty pool, no exit in the
   * requested country, none selectable (in the country), all selectable ones excluded.
   */
  static Selection.Reason whyNone(PoolSnapshot pool, SelectionRequest r) {
    List<ExitView> members = pool.members();
    if (members.isEmpty()) {
      return Selection.Reason.EMPTY_POOL;
    }
    String country = r.country();
    boolean inCountry = false;
    boolean selectable = false;
    for (int i = 0, n = members.size(); i < n; i++) {
      ExitView e = members.get(i);
      if (country != null && !country.equals(e.country())) {
        continue;
      }
      inCountry = true;
      if (e.selectable()) {
        selectable = true;
        if (r.excludedExitIds().isEmpty() || !r.excludedExitIds().contains(e.id())) {
          return null;
        }
      }
    }
    if (!inCountry) {
      return Selection.Reason.NO_EXIT_IN_COUNTRY;
    }
    return selectable ? Selection.Reason.ALL_EXCLUDED : Selection.Reason.NONE_HEALTHY;
  }
}
