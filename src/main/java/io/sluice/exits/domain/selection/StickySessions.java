package io.sluice.exits.domain.selection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The session table: pool + user + session key → exit, with a sliding expiry (the TTL counts from
 * the last selection). Every strategy uses it for requests that carry a session key (the strategy
 * picks a new key's first exit); the {@code sticky} strategy also pins users without one.
 * Long-lived: the host creates one and hands it to every {@link ExitDirectory} it builds, so
 * sessions survive reloads.
 *
 * <p>A key keeps its exit until the TTL after its last use has passed or the exit becomes
 * ineligible for a request (UNHEALTHY, DISABLED, removed from the pool, outside the requested
 * country, or excluded after a failed connect); then it is reassigned and keeps the new exit, even
 * once the old one recovers; the entry records the move and the {@link #onMove move listener} hears
 * of it. In the {@code sticky} strategy new assignments use rendezvous hashing of user and session
 * key, so every node of a cluster assigns a new session the same way.
 *
 * <p>Bounded: when a new key would exceed {@link #maxEntries()}, expired entries are purged first,
 * then the entries closest to expiry are evicted (1% of the bound at a time). Under concurrent
 * inserts the size may exceed the bound by at most the number of inserting threads. Thread-safe.
 */
public final class StickySessions {

  public static final int DEFAULT_MAX_ENTRIES = 100_000;

  private record Key(String pool, Long userId, String session) {}

  private static final class Entry {
    final long exitId;
    volatile long expiresAtMillis;
    final long createdAtMillis;
    final int moves;
    final Long previousExitId;
    final String lastMoveReason;
    final long movedAtMillis;

    Entry(long exitId, long expiresAtMillis, long createdAtMillis) {
      this(exitId, expiresAtMillis, createdAtMillis, 0, null, null, 0);
    }

    private Entry(
        long exitId,
        long expiresAtMillis,
        long createdAtMillis,
        int moves,
        Long previousExitId,
        String lastMoveReason,
        long movedAtMillis) {
      this.exitId = exitId;
      this.expiresAtMillis = expiresAtMillis;
      this.createdAtMillis = createdAtMillis;
      this.moves = moves;
      this.previousExitId = previousExitId;
      this.lastMoveReason = lastMoveReason;
      this.movedAtMillis = movedAtMillis;
    }

    Entry movedTo(long newExitId, long expires, String reason, long now) {
      return new Entry(newExitId, expires, createdAtMillis, moves + 1, exitId, reason, now);
    }
  }

  /**
   * A live session as the API shows it.
   *
   * @param moves how often the session moved to another exit
   * @param previousExitId the exit before the last move, or null
   * @param lastMoveReason why it last moved (a {@link SessionMove} reason), or null
   * @param movedAt when it last moved, or null
   */
  public record SessionEntry(
      String pool,
      Long userId,
      String sessionKey,
      long exitId,
      Instant createdAt,
      Instant expiresAt,
      int moves,
      Long previousExitId,
      String lastMoveReason,
      Instant movedAt) {}

  private record Victim(Key key, Entry entry, long expiresAtMillis) {}

  private final Clock clock;
  private final int maxEntries;
  private final ConcurrentHashMap<Key, Entry> table = new ConcurrentHashMap<>();
  private final Object evictionLock = new Object();
  private volatile Consumer<SessionMove> moveListener;

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
   * session key: the table (a new key gets the rendezvous hash of user and key). Without:
   * rendezvous hash of the user id (one user, one exit) or, for an anonymous principal, of the
   * destination.
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
    return pin(pool, r, () -> Rendezvous.pick(pool, r, Rendezvous.sessionKey(r.userId(), session)));
  }

  /**
   * The exit of the request's session (a request must carry a session key): the kept exit while the
   * session lives and its exit is eligible; otherwise {@code firstChoice} (the pool's strategy)
   * picks one, which the session keeps from then on. A session whose exit stopped being eligible is
   * reported to the {@link #onMove move listener}. Null only if nothing is eligible.
   */
  ExitView pin(PoolSnapshot pool, SelectionRequest r, Supplier<ExitView> firstChoice) {
    String session = Objects.requireNonNull(r.sessionKey(), "sessionKey");
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
    SessionMove[] moved = new SessionMove[1];
    table.compute(
        key,
        (k, cur) -> {
          boolean live = cur != null && cur.expiresAtMillis > now;
          if (live) {
            ExitView kept = Eligibility.find(pool, r, cur.exitId);
            if (kept != null) {
              cur.expiresAtMillis = Math.max(cur.expiresAtMillis, expires);
              out[0] = kept;
              return cur;
            }
          }
          ExitView chosen = firstChoice.get();
          out[0] = chosen;
          if (chosen == null) {
            return cur;
          }
          if (!live) {
            return new Entry(chosen.id(), expires, now);
          }
          String reason = whyLeft(pool, r, cur.exitId);
          moved[0] =
              new SessionMove(
                  pool.name(), r.userId(), session, cur.exitId, chosen.id(), reason, now);
          return cur.movedTo(chosen.id(), expires, reason, now);
        });
    SessionMove m = moved[0];
    Consumer<SessionMove> listener = moveListener;
    if (m != null && listener != null) {
      try {
        listener.accept(m);
      } catch (RuntimeException ignored) {
        // a failing listener must not fail the connection
      }
    }
    return out[0];
  }

  /** Why a session's exit is no longer eligible for the request (a {@link SessionMove} reason). */
  static String whyLeft(PoolSnapshot pool, SelectionRequest r, long exitId) {
    for (ExitView e : pool.members()) {
      if (e.id() == exitId) {
        if (!e.selectable()) {
          return e.state().wireName();
        }
        if (r.country() != null && !r.country().equals(e.country())) {
          return SessionMove.OTHER_COUNTRY;
        }
        return SessionMove.EXCLUDED;
      }
    }
    return SessionMove.REMOVED;
  }

  /**
   * Sets the listener told (on the selecting thread, after the table was updated) when a live
   * session moves to another exit; {@code null} for none. It must be quick and must not block.
   */
  public void onMove(Consumer<SessionMove> listener) {
    this.moveListener = listener;
  }

  /** The live sessions (expired ones left out), for the API; in no particular order. */
  public List<SessionEntry> entries() {
    long now = clock.millis();
    List<SessionEntry> list = new ArrayList<>();
    table.forEach((k, e) -> {
      if (e.expiresAtMillis > now) {
        list.add(
            new SessionEntry(
                k.pool(),
                k.userId(),
                k.session(),
                e.exitId,
                Instant.ofEpochMilli(e.createdAtMillis),
                Instant.ofEpochMilli(e.expiresAtMillis),
                e.moves,
                e.previousExitId,
                e.lastMoveReason,
                e.movedAtMillis == 0 ? null : Instant.ofEpochMilli(e.movedAtMillis)));
      }
    });
    return list;
  }

  /** The live session of this pool, user and key, if any. */
  public Optional<SessionEntry> entry(String pool, Long userId, String sessionKey) {
    Entry e = table.get(new Key(pool, userId, sessionKey));
    long now = clock.millis();
    if (e == null || e.expiresAtMillis <= now) {
      return Optional.empty();
    }
    return Optional.of(
        new SessionEntry(
            pool,
            userId,
            sessionKey,
            e.exitId,
            Instant.ofEpochMilli(e.createdAtMillis),
            Instant.ofEpochMilli(e.expiresAtMillis),
            e.moves,
            e.previousExitId,
            e.lastMoveReason,
            e.movedAtMillis == 0 ? null : Instant.ofEpochMilli(e.movedAtMillis)));
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
