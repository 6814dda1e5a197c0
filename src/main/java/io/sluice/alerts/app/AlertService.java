package io.sluice.alerts.app;

import io.sluice.admin.domain.SecurityEvent;
import io.sluice.alerts.domain.Alert;
import io.sluice.alerts.domain.AlertBook;
import io.sluice.alerts.domain.AlertSignal;
import io.sluice.alerts.domain.AlertStore;
import io.sluice.alerts.domain.AlertTx;
import io.sluice.alerts.domain.Delivery;
import io.sluice.alerts.domain.Rules;
import io.sluice.exits.domain.DedicatedReassigned;
import io.sluice.tunnels.domain.TunnelAgentEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Turns events into alerts: {@link AlertSignal} (the generic hook, in the caller's transaction),
 * {@link SecurityEvent} (failed logins and lockouts counted per source for {@link
 * Rules#BRUTE_FORCE}; refresh token reuse), {@link TunnelAgentEvent} ({@link Rules#AGENT_OFFLINE})
 * and {@link DedicatedReassigned} ({@link Rules#EXIT_IP_CHANGED} when the address changed). Also
 * the queries of the alerts API.
 */
@ApplicationScoped
public class AlertService {

  private static final Logger LOG = System.getLogger(AlertService.class.getName());

  @Inject AlertStore store;
  @Inject AlertTx tx;
  @Inject AlertSettings settings;

  @Inject
  @ConfigProperty(name = "sluice.alerts.brute-force-window-seconds", defaultValue = "300")
  long bruteForceWindowSeconds;

  private AlertBook book;
  private final BruteForceWindow bruteForce = new BruteForceWindow();

  @PostConstruct
  void init() {
    book = new AlertBook(settings::of);
  }

  AlertBook book() {
    return book;
  }

  /** The generic hook: applied in the caller's transaction when there is one. */
  @Transactional
  public void signal(@Observes AlertSignal s) {
    if (!Rules.known(s.rule())) {
      LOG.log(Level.WARNING, "SLUICE0800W: alert signal for unknown rule {0} ignored", s.rule());
      return;
    }
    book.apply(store, s, Instant.now());
  }

  @Inject io.sluice.platform.node.NodeIdentity nodeIdentity;

  void security(@Observes SecurityEvent e) {
    switch (e.kind()) {
      case "auth.failure", "auth.lockout" -> countFailure(e);
      case "auth.token-reuse" ->
          apart(
              AlertSignal.raise(
                  Rules.TOKEN_REUSE,
                  e.subject(),
                  "refresh token reused for admin " + e.subject() + "; its family was revoked"));
      default -> {
        // other kinds are audited by the admin feature; no rule uses them
      }
    }
  }

  private void countFailure(SecurityEvent e) {
    String subject = Objects.toString(e.subject(), "unknown");
    int slash = subject.lastIndexOf(" / ");
    String source = slash >= 0 ? subject.substring(slash + 3) : subject;
    Duration window = bruteForceWindow();
    double threshold = settings.of(Rules.BRUTE_FORCE).threshold();
    int n = bruteForce.add(source, e.at() == null ? Instant.now() : e.at(), window, threshold);
    if (n >= threshold) {
      apart(
          new AlertSignal(
              Rules.BRUTE_FORCE,
              source,
              true,
              n
                  + " failed admin logins or lockouts from "
                  + source
                  + " within "
                  + window.toSeconds()
                  + " s",
              Map.of("source", source)));
    }
  }

  /** Clears brute-force alerts of sources this node saw go quiet (called by the evaluator). */
  void quietSources(Instant now) {
    for (String source :
        bruteForce.quiet(now, bruteForceWindow(), settings.of(Rules.BRUTE_FORCE).threshold())) {
      apart(AlertSignal.clear(Rules.BRUTE_FORCE, source));
    }
  }

  Duration bruteForceWindow() {
    return Duration.ofSeconds(Math.max(1, bruteForceWindowSeconds));
  }

  /** The firewall of this node could not load its rules (the old ones stay). */
  void firewallFailed(@Observes io.sluice.firewall.domain.FirewallApplyFailed e) {
    String error = e.error() == null ? "" : e.error();
    apart(
        new AlertSignal(
            Rules.FIREWALL_APPLY_FAILED,
            nodeKey(),
            true,
            "firewall rules "
                + e.tag()
                + " not loaded ("
                + e.trigger()
                + "): "
                + (error.length() > 300 ? error.substring(0, 300) + "..." : error),
            java.util.Map.of("backend", String.valueOf(e.backend()), "trigger", e.trigger())));
  }

  /**
   * A Tor node found no exit of its country that no other node holds and none seen lately; the
   * alert resolves {@code sluice.alerts.event-hold-minutes} after the last such event.
   */
  void torCountryExhausted(@Observes io.sluice.tor.domain.TorCountryExhausted e) {
    String country = e.country() == null ? "any" : e.country();
    apart(
        new AlertSignal(
            Rules.TOR_COUNTRY_EXHAUSTED,
            country,
            true,
            "Tor exits of country "
                + country
                + " exhausted: node "
                + e.server()
                + "/"
                + e.index()
                + " found no exit not held by another node after "
                + e.tries()
                + " rotations",
            java.util.Map.of("server", String.valueOf(e.server()))));
  }

  /** A later load succeeded: the firewall alert of this node is resolved. */
  void firewallApplied(@Observes io.sluice.firewall.domain.FirewallApplied e) {
    apart(AlertSignal.clear(Rules.FIREWALL_APPLY_FAILED, nodeKey()));
  }

  private String nodeKey() {
    return nodeIdentity == null ? "this-node" : nodeIdentity.name();
  }

  void agent(@Observes TunnelAgentEvent e) {
    switch (e.kind()) {
      case DISCONNECTED ->
          apart(
              new AlertSignal(
                  Rules.AGENT_OFFLINE,
                  e.agentId(),
                  true,
                  "tunnel agent "
                      + e.agentId()
                      + " is offline"
                      + (e.detail() == null ? "" : " (" + e.detail() + ")"),
                  Map.of("agent", e.agentId())));
      case CONNECTED -> apart(AlertSignal.clear(Rules.AGENT_OFFLINE, e.agentId()));
      default -> {
        // refused connections are audited; brute force on agent tokens is not a rule yet
      }
    }
  }

  void reassigned(@Observes(during = TransactionPhase.AFTER_SUCCESS) DedicatedReassigned r) {
    if (r.fromIp() != null && r.toIp() != null && !r.fromIp().equals(r.toIp())) {
      apart(
          new AlertSignal(
              Rules.EXIT_IP_CHANGED,
              "port " + r.port(),
              true,
              "dedicated port "
                  + r.port()
                  + " moved from "
                  + r.fromIp()
                  + " to "
                  + r.toIp()
                  + " ("
                  + r.reason()
                  + ")",
              Map.of("port", Integer.toString(r.port()), "from", r.fromIp(), "to", r.toIp())));
    }
  }

  /** Applies a signal in a transaction of its own; a failure is logged, never thrown back. */
  void apart(AlertSignal s) {
    try {
      tx.inTransaction(st -> book.apply(st, s, Instant.now()));
    } catch (RuntimeException ex) {
      LOG.log(
          Level.WARNING,
          "SLUICE0801W: alert {0}/{1} not recorded: {2}",
          new Object[] {s.rule(), s.key(), ex.getMessage()});
    }
  }

  /** An alert as the API shows it. */
  public record AlertView(
      long id,
      String rule,
      String key,
      String state,
      String severity,
      String summary,
      Map<String, String> labels,
      Instant startsAt,
      Instant firedAt,
      Instant lastNotifiedAt,
      Instant endsAt) {

    static AlertView of(Alert a) {
      return new AlertView(
          a.id,
          a.rule,
          a.key,
          a.state,
          a.severity,
          a.summary,
          a.labels,
          a.startsAt,
          a.firedAt,
          a.notifiedAt,
          a.endsAt);
    }
  }

  /** Pending and firing alerts, oldest first. */
  @Transactional
  public List<AlertView> live() {
    return store.live().stream().map(AlertView::of).toList();
  }

  /** Resolved alerts, newest first. */
  @Transactional
  public List<AlertView> history(int limit) {
    return store.alerts(Alert.RESOLVED, limit).stream().map(AlertView::of).toList();
  }

  @Transactional
  public List<Delivery> deliveries(String state, int limit) {
    return store.deliveries(state, limit);
  }
}
