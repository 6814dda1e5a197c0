package io.sluice.alerts.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Alerts, channels, the outbox and memos in the database; callers own the transaction. */
public interface AlertStore {

  // --- alerts

  /** The live (pending or firing) alert of a rule and key, locked until the transaction ends. */
  Optional<Alert> live(String rule, String key);

  /** Every live alert, oldest first. */
  List<Alert> live();

  /** Inserts a new alert (its id is set). */
  void insert(Alert alert);

  /** Writes an alert's mutable columns back. */
  void update(Alert alert);

  /** Alerts by state ({@code null}: all), newest first. */
  List<Alert> alerts(String state, int limit);

  // --- channels

  List<ChannelRow> channels();

  Optional<ChannelRow> channel(long id);

  Optional<ChannelRow> channelByName(String name);

  long insertChannel(ChannelRow row);

  void updateChannel(ChannelRow row);

  boolean deleteChannel(long id);

  // --- outbox

  /** Adds a pending delivery due now. */
  long enqueue(long channelId, Long alertId, String rule, String kind, String payload, Instant now);

  /**
   * Claims up to {@code limit} due pending deliveries for {@code node} until {@code until}: rows
   * another node holds (locked, or claimed and not expired) are skipped.
   */
  List<Delivery> claim(String node, Instant now, Instant until, int limit);

  /** Marks a delivery this node claimed as sent. */
  void sent(long id, String node, Instant now);

  /** Schedules another attempt of a claimed delivery. */
  void retry(long id, String node, int attempts, Instant next, String error);

  /** Gives a claimed delivery up. */
  void failed(long id, String node, int attempts, String error);

  /** Deliveries by state ({@code null}: all), newest first. */
  List<Delivery> deliveries(String state, int limit);

  // --- memos and housekeeping

  Optional<String> memo(String rule, String key);

  void memo(String rule, String key, String value, Instant now);

  /** Deletes resolved/cleared alerts and finished deliveries older than {@code before}. */
  int purge(Instant before);
}
