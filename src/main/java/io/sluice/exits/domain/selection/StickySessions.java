package io.sluice.exits.domain.selection;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sticky-session table of the {@code sticky} strategy: pool + user + session key → exit, with a
 * sliding expiry (the TTL counts from the last selection). Long-lived: the host creates one and
 * hands it to every {@link ExitDirectory} it builds, so sessions survive reloads.
 *
 * <p>A key keeps its exit until the TTL after its last use has passed or the exit becomes
 * ineligible for a request (UNHEALTHY, DISABLED, removed from the pool, outside the requested
 * country, or excluded after a failed connect); then it is reassigned and keeps the new exit, even
 * once the old one recovers. New assignments use rendezvous hashing of user and session key, so
 * every node of a cluster assigns a new session the same way.
 *
 * <p>Bounded: when a new key would exceed {@link #maxEntries()}, expired entries are purged first,
 * then the entries closest to expiry are evicted (1% of the bound at a time). Under concurrent
 * inserts the size may exceed the bound by at most the number of inserting threads. Thread-safe.
 */
public final class StickySessions {

  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private record Key(String pool, Long userId, String session) {}

  private static final class Entry {
    volatile long exitId;
    volatile long expiresAtMillis;

    Entry(long exitId, long expiresAtMillis) {
      this.exitId = exitId;
      this.expiresAtMillis = expiresAtMillis;
    }
  }

  private record Victim(Key key, Entry entry, long expiresAtMillis) {}

  private final Clock clock;
  private final int maxEntries;
  private final ConcurrentHashMap<Key, Entry> table = new ConcurrentHashMap<>();
  private final Object evictionLock = new Object();

  /** System clock, {@value #DEFAULT_MAX_ENTRIES} entries. */
  public StickySessions() {
    this(Clock.systemUTC(), DEFAULT_MAX_ENTRIES);
  }

  public StickySessions(Clock clock, int maxEntries) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be positive: " + maxEntries);
    }
    this.maxEntries = maxEntries;
  }

  public int maxEntries() {
    return maxEntries;
  }

  /** Entries in the table, expired ones not yet purged included. */
  public int size() {
    return table.size();
  }

  /** The exit currently assigned to a session, if any and not expired. */
  public OptionalLong exitOf(String pool, Long userId, String sessionKey) {
    Entry e = table.get(new Key(pool, userId, sessionKey));
    return e != null && e.expiresAtMillis > clock.millis()
        ? OptionalLong.of(e.exitId)
        : OptionalLong.empty();
  }

  /** Removes expired entries; returns how many. Call periodically (e.g. every minute). */
  public int purgeExpired() {
    return purgeExpired(clock.millis());
  }

  /** Forgets every session. */
  public void clear() {
    table.clear();
  }

  /**
   * Chooses for the {@code sticky} strategy; null only if nothing of the pool is eligible. With a
   * session key: the table. Without: rendezvous hash of the user id (one user, one exit) or, for an
   * anonymous principal, of the destination.
   */
  ExitView pick(PoolSnapshot pool, SelectionRequest r) {
    String session = r.sessionKey();
    if (session == null) {
      long key =
          r.userId() != null
              ? Rendezvous.userKey(r.userId())
              : Rendezvous.destinationKey(r.destinationHost(), r.destinationPort());
      return Rendezvous.pick(pool, r, key);
    }
    long now = clock.millis();
    long expires = saturatedAdd(now, r.sessionTtl());
    Key key = new Key(pool.name(), r.userId(), session);
    Entry current = table.get(key);
    if (current != null && current.expiresAtMillis > now) {
      ExitView kept = Eligibility.find(pool, r, current.exitId);
      if (kept != null) {
        current.expiresAtMillis = expires;
        return kept;
      }
    }
    if (current == null) {
      makeRoom(now);
    }
    ExitView[] out = new ExitView[1];
    table.compute(
        key,
        (k, cur) -> {
          if (cur != null && cur.expiresAtMillis > now) {
            ExitView kept = Eligibility.find(pool, r, cur.exitId);
            if (kept != null) {
              cur.expiresAtMillis = Math.max(cur.expiresAtMillis, expires);
              out[0] = kept;
              return cur;
            }
          }
          ExitView chosen = Rendezvous.pick(pool, r, Rendezvous.sessionKey(r.userId(), session));
          out[0] = chosen;
          if (chosen == null) {
            return cur;
          }
          return new Entry(chosen.id(), expires);
        });
    return out[0];
  }

  private static long saturatedAdd(long now, Duration ttl) {
    long ms;
    try {
      ms = ttl.toMillis();
    } catch (ArithmeticException e) {
      ms = Long.MAX_VALUE;
    }
    long sum = now + ms;
    return sum < now ? Long.MAX_VALUE : sum;
  }

  private int purgeExpired(long now) {
    int removed = 0;
    for (Iterator<Map.Entry<Key, Entry>> it = table.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Entry> e = it.next();
      if (e.getValue().expiresAtMillis <= now && table.remove(e.getKey(), e.getValue())) {
        removed++;
      }
    }
    return removed;
  }

  private void makeRoom(long now) {
    if (table.size() < maxEntries) {
      return;
    }
    synchronized (evictionLock) {
      if (table.size() < maxEntries) {
        return;
      }
      purgeExpired(now);
      int excess = table.size() - maxEntries + 1;
      if (excess <= 0) {
        return;
      }
      int batch = Math.max(excess, maxEntries / 100);
      // Keep the `batch` entries closest to expiry in a max-heap, then evict them.
      PriorityQueue<Victim> soonest =
          new PriorityQueue<>(
              batch + 1, Comparator.comparingLong(Victim::expiresAtMillis).reversed());
      for (Map.Entry<Key, Entry> e : table.entrySet()) {
        soonest.add(new Victim(e.getKey(), e.getValue(), e.getValue().expiresAtMillis));
        if (soonest.size() > batch) {
          soonest.poll();
        }
      }
      for (Victim v : soonest) {
        table.remove(v.key(), v.entry());
      }
    }
  }
}
