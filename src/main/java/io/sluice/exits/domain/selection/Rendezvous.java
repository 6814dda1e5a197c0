package io.sluice.exits.domain.selection;

import java.util.List;

/**
 * Stable hashing for {@code hash-destination} and {@code sticky}: rendezvous
 * (highest-random-weight) hashing over a pool's eligible exits. The weight of an exit for a key
 * depends only on the key and the exit id, so removing one exit moves only the keys that were on
 * it, and every node of a cluster computes the same answer. No allocation.
 */
final class Rendezvous {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  private static final long GOLDEN = 0x9e3779b97f4a7c15L;

  private Rendezvous() {}

  /** Key of a destination: lower-case (ASCII) host, ':' and port. */
  static long destinationKey(String host, int port) {
    long h = FNV_OFFSET;
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      h = (h ^ c) * FNV_PRIME;
    }
    h = (h ^ ':') * FNV_PRIME;
    h = (h ^ port) * FNV_PRIME;
    return mix64(h);
  }

  /** Key of a user (sticky without a session key). */
  static long userKey(long userId) {
    return mix64(userId * GOLDEN + 0x5851f42d4c957f2dL);
  }

  /** Key of a sticky session of a user ({@code null} user: anonymous). */
  static long sessionKey(Long userId, String session) {
    long h = userId == null ? FNV_OFFSET : (FNV_OFFSET ^ mix64(userId)) * FNV_PRIME;
    h = (h ^ '/') * FNV_PRIME;
    for (int i = 0; i < session.length(); i++) {
      h = (h ^ session.charAt(i)) * FNV_PRIME;
    }
    return mix64(h);
  }

  /** Weight of an exit for a key. */
  static long weight(long key, long exitId) {
    return mix64(key ^ mix64(exitId * GOLDEN));
  }

  /** The eligible member with the highest weight for the key (ties: lowest id), or null. */
  static ExitView pick(PoolSnapshot pool, SelectionRequest r, long key) {
    List<ExitView> members = pool.members();
    ExitView best = null;
    long bestWeight = 0;
    for (int i = 0, n = members.size(); i < n; i++) {
      ExitView e = members.get(i);
      if (Eligibility.test(e, r)) {
        long w = weight(key, e.id());
        if (best == null || Long.compareUnsigned(w, bestWeight) > 0) {
          best = e;
          bestWeight = w;
        }
      }
    }
    return best;
  }

  /** SplitMix64 finaliser. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
