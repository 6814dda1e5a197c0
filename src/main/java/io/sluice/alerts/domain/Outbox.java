package io.sluice.alerts.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends the outbox: claims due deliveries for this node (other nodes skip them), groups them by
 * channel and rule into one notice each, sends it, and marks every row of the group sent, or
 * schedules the next attempt with exponential backoff (at least the far end's {@code retry_after}),
 * or gives up after {@code maxAttempts} or a failure that retrying cannot fix. A node that dies
 * after claiming leaves its rows to be claimed again when the claim expires.
 */
public final class Outbox {

  /** Told the outcome of each message: {@code sent}, {@code retry} or {@code failed}. */
  @FunctionalInterface
  public interface Listener {
    void outcome(String channelType, String outcome);
  }

  /** How claims, retries and batches behave. */
  public record Policy(Duration claimFor, Duration retryBase, int maxAttempts, int batch) {}

  private final AlertTx tx;
  private final Map<String, ChannelSender> senders;
  private final Function<ChannelRow, Channel> open;
  private final Listener listener;
  private final String node;
  private final Policy policy;

  public Outbox(
      AlertTx tx,
      List<ChannelSender> senders,
      Function<ChannelRow, Channel> open,
      Listener listener,
      String node,
      Policy policy) {
    this.tx = tx;
    this.senders = new LinkedHashMap<>();
    senders.forEach(s -> this.senders.put(s.type(), s));
    this.open = open;
    this.listener = listener;
    this.node = node;
    this.policy = policy;
  }

  /** One round at {@code now}; returns the number of messages attempted. */
  public int sendDue(Instant now) {
    List<Delivery> claimed =
        tx.inTransaction(s -> s.claim(node, now, now.plus(policy.claimFor()), policy.batch()));
    if (claimed.isEmpty()) {
      return 0;
    }
    Map<String, List<Delivery>> groups = new LinkedHashMap<>();
    for (Delivery d : claimed) {
      groups.computeIfAbsent(d.channelId() + "|" + d.rule(), k -> new ArrayList<>()).add(d);
    }
    int messages = 0;
    for (List<Delivery> group : groups.values()) {
      send(group, now);
      messages++;
    }
    return messages;
  }

  private void send(List<Delivery> group, Instant now) {
    Delivery first = group.get(0);
    Optional<ChannelRow> row = tx.inTransaction(s -> s.channel(first.channelId()));
    if (row.isEmpty() || !row.get().enabled()) {
      giveUp(group, "channel deleted or disabled");
      listener.outcome(row.map(ChannelRow::type).orElse("unknown"), "failed");
      return;
    }
    ChannelSender sender = senders.get(row.get().type());
    if (sender == null) {
      giveUp(group, "no sender for channel type " + row.get().type());
      listener.outcome(row.get().type(), "failed");
      return;
    }
    List<AlertItem> items = new ArrayList<>();
    for (Delivery d : group) {
      items.add(AlertItem.fromJson(d.payload()));
    }
    Notice notice = new Notice(first.rule(), dedupe(items), "test".equals(first.kind()));
    try {
      sender.send(open.apply(row.get()), notice);
      Instant sentAt = Instant.now();
      tx.inTransaction(s -> {
        group.forEach(d -> s.sent(d.id(), node, sentAt));
        return null;
      });
      listener.outcome(sender.type(), "sent");
    } catch (DeliveryFailure f) {
      failed(group, sender.type(), f.getMessage(), f.retryable(), f.retryAfter(), now);
    } catch (RuntimeException e) {
      failed(group, sender.type(), String.valueOf(e.getMessage()), true, null, now);
    }
  }

  /** The newest notice per alert: a firing and its resolved notice due together show resolved. */
  private static List<AlertItem> dedupe(List<AlertItem> items) {
    Map<String, AlertItem> byAlert = new LinkedHashMap<>();
    for (AlertItem i : items) {
      byAlert.put(i.alertId() == 0 ? i.key() : Long.toString(i.alertId()), i);
    }
    return new ArrayList<>(byAlert.values());
  }

  private void failed(
      List<Delivery> group,
      String type,
      String error,
      boolean retryable,
      Duration retryAfter,
      Instant now) {
    int attempts = group.get(0).attempts() + 1;
    String message = AlertBook.cut(error == null ? "failed" : error, 500);
    if (!retryable || attempts >= policy.maxAttempts()) {
      giveUp(group, message);
      listener.outcome(type, "failed");
      return;
    }
    Duration wait = backoff(attempts);
    if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
      wait = retryAfter;
    }
    Instant next = now.plus(wait);
    tx.inTransaction(s -> {
      group.forEach(d -> s.retry(d.id(), node, attempts, next, message));
      return null;
    });
    listener.outcome(type, "retry");
  }

  private void giveUp(List<Delivery> group, String error) {
    tx.inTransaction(s -> {
      group.forEach(d -> s.failed(d.id(), node, d.attempts() + 1, error));
      return null;
    });
  }

  /** {@code retryBase * 2^(attempts-1)}, at most one hour. */
  Duration backoff(int attempts) {
    long factor = 1L << Math.min(attempts - 1, 20);
    Duration d = policy.retryBase().multipliedBy(factor);
    return d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
  }
}
