package io.sluice.alerts.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.alerts.domain.Alert;
import io.sluice.alerts.domain.AlertBook;
import io.sluice.alerts.domain.AlertSignal;
import io.sluice.alerts.domain.AlertTx;
import io.sluice.alerts.domain.Channel;
import io.sluice.alerts.domain.ChannelRow;
import io.sluice.alerts.domain.ChannelSender;
import io.sluice.alerts.domain.Delivery;
import io.sluice.alerts.domain.Notice;
import io.sluice.alerts.domain.Outbox;
import io.sluice.alerts.domain.RuleSettings;
import io.sluice.alerts.domain.Rules;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The alert state machine and the outbox on a real database: notices written with the state change,
 * grouped per rule, retried with backoff and {@code retry_after} (through the Telegram stub), given
 * up on a 400, never sent twice by two nodes, and not lost when a node dies after claiming.
 * Subclasses provide the database.
 */
abstract class OutboxContract {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Outbox.Policy POLICY =
      new Outbox.Policy(Duration.ofSeconds(60), Duration.ofSeconds(10), 4, 50);

  /** A database (schema) with V25 applied and no rows in the alert tables. */
  abstract DataSource dataSource();

  private final Map<String, RuleSettings> settings = new HashMap<>();

  private AlertBook book() {
    return new AlertBook(r -> settings.getOrDefault(r, Rules.defaults(r)));
  }

  static Function<ChannelRow, Channel> open(Map<String, String> secrets) {
    return row -> {
      Map<String, Object> config = new HashMap<>();
      try (var r = Json.createReader(new StringReader(row.config()))) {
        JsonObject o = r.readObject();
        o.forEach(
            (k, v) -> config.put(k, v instanceof JsonString s ? s.getString() : v.toString()));
      }
      return new Channel(row.id(), row.name(), row.type(), row.enabled(), config, secrets);
    };
  }

  /** A sender that records every notice it is handed (the real ones are tested on their own). */
  static final class Recording implements ChannelSender {
    final List<Notice> sent = new CopyOnWriteArrayList<>();

    @Override
    public String type() {
      return "webhook";
    }

    @Override
    public void send(Channel channel, Notice notice) {
      sent.add(notice);
    }
  }

  @Test
  void firesAfterForRepeatsResolvesAndGroupsByRule() {
    AlertTx tx = AlertsDb.tx(dataSource());
    long ch = AlertsDb.channel(tx, "c-" + System.nanoTime(), "webhook", "{\"url\":\"http://x\"}");
    settings.put(
        Rules.POOL_FAILING,
        new RuleSettings(
            Rules.POOL_FAILING,
            true,
            20,
            Duration.ofMinutes(2),
            Duration.ofMinutes(30),
            "warning"));
    AlertBook book = book();
    List<AlertSignal> raised =
        List.of(
            AlertSignal.raise(Rules.POOL_FAILING, "eu", "eu failing"),
            AlertSignal.raise(Rules.POOL_FAILING, "us", "us failing"),
            AlertSignal.raise(Rules.POOL_FAILING, "asia", "asia failing"));
    tx.inTransaction(s -> book.reconcile(s, Rules.POOL_FAILING, raised, T0));
    assertThat(pending(tx, ch)).isEmpty(); // pending: the rule's "for" has not passed
    tx.inTransaction(s -> book.reconcile(s, Rules.POOL_FAILING, raised, T0.plusSeconds(60)));
    assertThat(pending(tx, ch)).isEmpty();
    tx.inTransaction(s -> book.reconcile(s, Rules.POOL_FAILING, raised, T0.plusSeconds(120)));
    assertThat(pending(tx, ch)).hasSize(3).allMatch(d -> d.kind().equals("firing"));

    Recording rec = new Recording();
    Outbox outbox = new Outbox(tx, List.of(rec), open(Map.of()), (t, o) -> {}, "node-a", POLICY);
    assertThat(outbox.sendDue(T0.plusSeconds(121))).isEqualTo(1);
    assertThat(rec.sent).hasSize(1);
    assertThat(rec.sent.get(0).title()).isEqualTo("[FIRING:3] pool-failing");
    assertThat(rec.sent.get(0).items())
        .extracting(i -> i.key())
        .containsExactly("asia", "eu", "us");
    assertThat(pending(tx, ch)).isEmpty();

    // still failing: nothing new until the repeat interval, then one repeat per alert
    tx.inTransaction(s -> book.tick(s, T0.plus(Duration.ofMinutes(20))));
    assertThat(pending(tx, ch)).isEmpty();
    tx.inTransaction(s -> book.tick(s, T0.plus(Duration.ofMinutes(33))));
    assertThat(pending(tx, ch)).hasSize(3).allMatch(d -> d.kind().equals("repeat"));
    outbox.sendDue(T0.plus(Duration.ofMinutes(33)));

    // eu recovers: one resolved notice, the others keep firing
    List<AlertSignal> two = raised.subList(1, 3);
    tx.inTransaction(
        s -> book.reconcile(s, Rules.POOL_FAILING, two, T0.plus(Duration.ofMinutes(40))));
    List<Delivery> resolved = pending(tx, ch);
    assertThat(resolved).hasSize(1);
    assertThat(resolved.get(0).kind()).isEqualTo("resolved");
    outbox.sendDue(T0.plus(Duration.ofMinutes(41)));
    Notice last = rec.sent.get(rec.sent.size() - 1);
    assertThat(last.title()).isEqualTo("[RESOLVED] pool-failing");
    assertThat(last.resolved()).extracting(i -> i.key()).containsExactly("eu");
    List<Alert> live = tx.inTransaction(s -> s.live());
    assertThat(live).extracting(a -> a.key).containsExactlyInAnyOrder("us", "asia");
    tx.inTransaction(
        s -> book.reconcile(s, Rules.POOL_FAILING, List.of(), T0.plus(Duration.ofMinutes(50))));
    List<Alert> none = tx.inTransaction(s -> s.live());
    assertThat(none).isEmpty();
  }

  @Test
  void aConditionThatClearsBeforeForIsNeverNotified() {
    AlertTx tx = AlertsDb.tx(dataSource());
    long ch = AlertsDb.channel(tx, "c-" + System.nanoTime(), "webhook", "{\"url\":\"http://x\"}");
    AlertBook book = book();
    String agent = "agent-" + System.nanoTime();
    tx.inTransaction(s -> book.apply(s, AlertSignal.raise(Rules.AGENT_OFFLINE, agent, "down"), T0));
    tx.inTransaction(
        s -> book.apply(s, AlertSignal.clear(Rules.AGENT_OFFLINE, agent), T0.plusSeconds(60)));
    assertThat(pending(tx, ch)).isEmpty();
    List<Alert> cleared = tx.inTransaction(s -> s.alerts(Alert.CLEARED, 10));
    assertThat(cleared).extracting(a -> a.key).contains(agent);
    // the default "for" of agent-offline is 5 minutes: a tick then fires a still-pending alert
    tx.inTransaction(s -> book.apply(s, AlertSignal.raise(Rules.AGENT_OFFLINE, agent, "down"), T0));
    tx.inTransaction(s -> book.tick(s, T0.plus(Duration.ofMinutes(5))));
    assertThat(pending(tx, ch)).extracting(Delivery::kind).containsExactly("firing");
  }

  @Test
  void telegram429IsRetriedAfterRetryAfterThenSent400GivesUp500BacksOff() throws Exception {
    AlertTx tx = AlertsDb.tx(dataSource());
    try (HttpStub api = new HttpStub()) {
      long ch =
          AlertsDb.channel(
              tx,
              "tg-" + System.nanoTime(),
              "telegram",
              "{\"chatId\":\"-100\",\"apiBaseUrl\":\"" + api.url() + "\"}");
      Map<String, String> secrets = Map.of("botToken", "42:token");
      AtomicInteger retries = new AtomicInteger();
      Outbox outbox =
          new Outbox(
              tx,
              List.of(new TelegramSender(Duration.ofSeconds(5))),
              open(secrets),
              (t, o) -> {
                if (o.equals("retry")) {
                  retries.incrementAndGet();
                }
              },
              "node-a",
              POLICY);
      AlertBook book = book();
      String src = "10.9.9." + (System.nanoTime() % 200);
      tx.inTransaction(s -> book.apply(s, AlertSignal.raise(Rules.BRUTE_FORCE, src, "x"), T0));

      api.reply(429, "{\"ok\":false,\"error_code\":429,\"parameters\":{\"retry_after\":120}}");
      outbox.sendDue(T0);
      Delivery d = pending(tx, ch).get(0);
      assertThat(d.attempts()).isEqualTo(1);
      assertThat(d.nextAttemptAt()).isEqualTo(T0.plusSeconds(120)); // retry_after beats 10 s
      assertThat(outbox.sendDue(T0.plusSeconds(60))).isZero(); // not before retry_after
      assertThat(outbox.sendDue(T0.plusSeconds(120))).isEqualTo(1); // stub answers 200 now
      assertThat(api.requests()).hasSize(2);
      assertThat(api.requests().get(1).body()).isEqualTo(api.requests().get(0).body());
      assertThat(tx.inTransaction(s -> s.deliveries(null, 1)).get(0).state()).isEqualTo("sent");

      // a 500 is retried with backoff: 10 s, then 20 s
      tx.inTransaction(
          s -> book.apply(s, AlertSignal.clear(Rules.BRUTE_FORCE, src), T0.plusSeconds(200)));
      api.reply(500, "{}");
      api.reply(500, "{}");
      outbox.sendDue(T0.plusSeconds(200));
      assertThat(pending(tx, ch).get(0).nextAttemptAt()).isEqualTo(T0.plusSeconds(210));
      outbox.sendDue(T0.plusSeconds(210));
      assertThat(pending(tx, ch).get(0).nextAttemptAt()).isEqualTo(T0.plusSeconds(230));
      outbox.sendDue(T0.plusSeconds(230));
      assertThat(pending(tx, ch)).isEmpty();
      assertThat(api.requests().get(api.requests().size() - 1).body()).contains("[RESOLVED]");
      assertThat(retries.get()).isEqualTo(3);

      // a 400 is final
      String other = src + "x";
      tx.inTransaction(s ->
          book.apply(s, AlertSignal.raise(Rules.BRUTE_FORCE, other, "y"), T0.plusSeconds(300)));
      api.reply(400, "{\"ok\":false,\"description\":\"Bad Request: chat not found\"}");
      outbox.sendDue(T0.plusSeconds(300));
      assertThat(pending(tx, ch)).isEmpty();
      Delivery failed = tx.inTransaction(s -> s.deliveries("failed", 1)).get(0);
      assertThat(failed.lastError()).contains("400").contains("chat not found");
      assertThat(failed.attempts()).isEqualTo(1);
    }
  }

  @Test
  void twoNodesNeverSendOneDeliveryTwice() throws Exception {
    AlertTx tx = AlertsDb.tx(dataSource());
    long ch = AlertsDb.channel(tx, "c-" + System.nanoTime(), "webhook", "{\"url\":\"http://x\"}");
    AlertBook book = book();
    int n = 200;
    String prefix = "n" + System.nanoTime() + "-";
    for (int i = 0; i < n; i++) {
      String key = prefix + i;
      tx.inTransaction(
          s -> book.apply(s, AlertSignal.raise(Rules.FIREWALL_APPLY_FAILED, key, "x"), T0));
    }
    assertThat(pending(tx, ch)).hasSize(n);
    Map<Long, AtomicInteger> sends = new ConcurrentHashMap<>();
    ChannelSender counting =
        new ChannelSender() {
          @Override
          public String type() {
            return "webhook";
          }

          @Override
          public void send(Channel c, Notice notice) {
            notice
                .items()
                .forEach(i ->
                    sends.computeIfAbsent(i.alertId(), k -> new AtomicInteger()).incrementAndGet());
          }
        };
    Outbox.Policy small = new Outbox.Policy(Duration.ofSeconds(60), Duration.ofSeconds(10), 4, 7);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (String node : List.of("node-a", "node-b", "node-c", "node-d")) {
        Outbox o = new Outbox(tx, List.of(counting), open(Map.of()), (t, x) -> {}, node, small);
        futures.add(
            pool.submit(() -> {
              go.await();
              for (int round = 0; round < 200 && o.sendDue(T0) > 0; round++) {
                // keep draining
              }
              return null;
            }));
      }
      go.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(sends).hasSize(n);
    assertThat(sends.values()).allMatch(c -> c.get() == 1);
    assertThat(pending(tx, ch)).isEmpty();
  }

  @Test
  void aNodeThatDiesAfterClaimingLosesNothing() {
    AlertTx tx = AlertsDb.tx(dataSource());
    long ch = AlertsDb.channel(tx, "c-" + System.nanoTime(), "webhook", "{\"url\":\"http://x\"}");
    AlertBook book = book();
    String key = "fw-" + System.nanoTime();
    tx.inTransaction(
        s -> book.apply(s, AlertSignal.raise(Rules.FIREWALL_APPLY_FAILED, key, "x"), T0));
    // node A claims (committed) and dies before sending or marking
    List<Delivery> claimed = tx.inTransaction(s -> s.claim("node-a", T0, T0.plusSeconds(60), 50));
    assertThat(claimed).extracting(Delivery::channelId).contains(ch);
    Recording rec = new Recording();
    Outbox b = new Outbox(tx, List.of(rec), open(Map.of()), (t, o) -> {}, "node-b", POLICY);
    assertThat(b.sendDue(T0.plusSeconds(30))).isZero(); // A's claim still holds
    assertThat(b.sendDue(T0.plusSeconds(61))).isEqualTo(1); // expired: B sends it
    assertThat(rec.sent).hasSize(1);
    assertThat(rec.sent.get(0).items().get(0).key()).isEqualTo(key);
    // A's late marks cannot touch B's row
    tx.inTransaction(s -> {
      claimed.forEach(d -> s.retry(d.id(), "node-a", 9, T0, "late"));
      return null;
    });
    assertThat(tx.inTransaction(s -> s.deliveries(null, 1)).get(0).state()).isEqualTo("sent");
  }

  private static List<Delivery> pending(AlertTx tx, long channel) {
    return tx.inTransaction(s -> s.deliveries("pending", 10_000)).stream()
        .filter(d -> d.channelId() == channel)
        .toList();
  }
}
