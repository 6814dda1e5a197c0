package io.sluice.alerts.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The alert state machine, on the caller's transaction: a raised condition starts a pending alert,
 * which fires once the rule's {@code for} has passed (notice {@code firing}), is notified again
 * every repeat interval while it lasts ({@code repeat}), and is resolved when the condition clears
 * ({@code resolved}); a pending alert that clears before firing is {@code cleared} without a
 * notice. Each notice is written to the outbox, one row per enabled channel, in the same
 * transaction as the state change.
 */
public final class AlertBook {

  /** What a signal or tick did to one alert. */
  public enum Change {
    NONE,
    PENDING,
    FIRED,
    REPEATED,
    RESOLVED,
    CLEARED
  }

  private final Function<String, RuleSettings> settings;

  public AlertBook(Function<String, RuleSettings> settings) {
    this.settings = settings;
  }

  /** Applies one signal (raise or clear) at {@code now}. */
  public Change apply(AlertStore store, AlertSignal s, Instant now) {
    RuleSettings rs = settings.apply(s.rule());
    Alert a = store.live(s.rule(), s.key()).orElse(null);
    if (!s.active() || !rs.enabled()) {
      return a == null ? Change.NONE : end(store, a, now);
    }
    if (a == null) {
      a = new Alert();
      a.rule = s.rule();
      a.key = s.key();
      a.state = Alert.PENDING;
      a.severity = rs.severity();
      a.summary = cut(s.summary(), 1000);
      a.labels = s.labels();
      a.startsAt = now;
      a.lastSeenAt = now;
      store.insert(a);
      return advance(store, a, rs, now) == Change.FIRED ? Change.FIRED : Change.PENDING;
    }
    a.lastSeenAt = now;
    if (!s.summary().isEmpty()) {
      a.summary = cut(s.summary(), 1000);
    }
    if (!s.labels().isEmpty()) {
      a.labels = s.labels();
    }
    Change c = advance(store, a, rs, now);
    if (c == Change.NONE) {
      store.update(a);
    }
    return c;
  }

  /**
   * Makes the live alerts of {@code rule} match {@code raised}: raises each, clears every live
   * alert of the rule whose key is not among them.
   */
  public List<Change> reconcile(
      AlertStore store, String rule, Collection<AlertSignal> raised, Instant now) {
    List<Change> out = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (AlertSignal s : raised) {
      keys.add(s.key());
      out.add(apply(store, s, now));
    }
    for (Alert a : store.live()) {
      if (a.rule.equals(rule) && !keys.contains(a.key)) {
        out.add(end(store, a, now));
      }
    }
    return out;
  }

  /**
   * Time passing: pending alerts whose {@code for} has passed fire, firing alerts due a repeat are
   * notified again, live alerts of a disabled rule end.
   */
  public List<Change> tick(AlertStore store, Instant now) {
    List<Change> out = new ArrayList<>();
    for (Alert listed : store.live()) {
      Alert a = store.live(listed.rule, listed.key).orElse(null); // locked
      if (a == null) {
        continue;
      }
      RuleSettings rs = settings.apply(a.rule);
      out.add(rs.enabled() ? advance(store, a, rs, now) : end(store, a, now));
    }
    return out;
  }

  private Change advance(AlertStore store, Alert a, RuleSettings rs, Instant now) {
    if (Alert.PENDING.equals(a.state)) {
      if (now.isBefore(a.startsAt.plus(rs.forDuration()))) {
        return Change.NONE;
      }
      a.state = Alert.FIRING;
      a.firedAt = now;
      a.notifiedAt = now;
      store.update(a);
      notify(store, a, "firing", now);
      return Change.FIRED;
    }
    Duration repeat = rs.repeat();
    if (Alert.FIRING.equals(a.state)
        && !repeat.isZero()
        && !now.isBefore(a.notifiedAt.plus(repeat))) {
      a.notifiedAt = now;
      store.update(a);
      notify(store, a, "repeat", now);
      return Change.REPEATED;
    }
    return Change.NONE;
  }

  private Change end(AlertStore store, Alert a, Instant now) {
    boolean fired = Alert.FIRING.equals(a.state);
    a.state = fired ? Alert.RESOLVED : Alert.CLEARED;
    a.endsAt = now;
    store.update(a);
    if (fired) {
      notify(store, a, "resolved", now);
      return Change.RESOLVED;
    }
    return Change.CLEARED;
  }

  private static void notify(AlertStore store, Alert a, String kind, Instant now) {
    String payload = a.item().toJson();
    for (ChannelRow c : store.channels()) {
      if (c.enabled()) {
        store.enqueue(c.id(), a.id, a.rule, kind, payload, now);
      }
    }
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
