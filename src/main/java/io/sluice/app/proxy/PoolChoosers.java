package io.sluice.app.proxy;

/** Builds the pool chooser used by {@link SluiceExitSelector}. */
final class PoolChoosers {

  private PoolChoosers() {}

  /** Interim chooser: the first healthy, non-excluded member in id order. */
  static SluiceExitSelector.PoolChooser create() {
    return (snapshot, pool, principal, destination, excluded) -> {
      ExitSnapshot.PoolDef def = snapshot.pools().get(pool);
      if (def == null) {
        return null;
      }
      for (Long id : def.members()) {
        String state = snapshot.states().get(id);
        if (!excluded.contains(id) && snapshot.routes().containsKey(id) && !"unhealthy".equals(state)) {
          return id;
        }
      }
      return null;
    };
  }
}
