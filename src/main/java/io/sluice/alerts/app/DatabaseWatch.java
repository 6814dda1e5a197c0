package io.sluice.alerts.app;

import io.sluice.alerts.domain.Alert;
import io.sluice.alerts.domain.AlertItem;
import io.sluice.alerts.domain.AlertTx;
import io.sluice.alerts.domain.Channel;
import io.sluice.alerts.domain.DeliveryFailure;
import io.sluice.alerts.domain.Notice;
import io.sluice.alerts.domain.RuleSettings;
import io.sluice.alerts.domain.Rules;
import io.sluice.alerts.domain.Senders;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@link Rules#DATABASE_UNREACHABLE} as this node sees it. The outbox lives in the database, so
 * this alert is sent directly to the enabled channels as they were at the last successful check:
 * once the database has been away for the rule's {@code for}, again at its repeat interval, and a
 * resolved notice when it is back. Nothing of it is retried or kept if the node stops meanwhile.
 */
@ApplicationScoped
public class DatabaseWatch {

  private static final Logger LOG = System.getLogger(DatabaseWatch.class.getName());

  @Inject AlertTx tx;
  @Inject ChannelService channels;
  @Inject Senders senders;
  @Inject AlertSettings settings;
  @Inject DeliveryMetrics metrics;

  private volatile List<Channel> known = List.of();
  private Instant downSince;
  private Instant notifiedAt;
  private String node = "this node";

  /** Probes the database; true when it answered. */
  synchronized boolean check(Instant now) {
    try {
      known =
          tx.inTransaction(
              s -> s.channels().stream().filter(c -> c.enabled()).map(channels::open).toList());
    } catch (RuntimeException e) {
      down(now, e);
      return false;
    }
    if (downSince != null) {
      LOG.log(Level.INFO, "SLUICE0808I: the database answers again (away since {0})", downSince);
      if (notifiedAt != null) {
        send(item(Alert.RESOLVED, now));
      }
      downSince = null;
      notifiedAt = null;
    }
    return true;
  }

  private void down(Instant now, RuntimeException e) {
    RuleSettings rs = settings.of(Rules.DATABASE_UNREACHABLE);
    if (downSince == null) {
      downSince = now;
      try {
        node = InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException ignored) {
        node = "this node";
      }
      LOG.log(Level.WARNING, "SLUICE0807W: the database does not answer: {0}", e.getMessage());
    }
    if (!rs.enabled() || now.isBefore(downSince.plus(rs.forDuration()))) {
      return;
    }
    if (notifiedAt == null
        || (!rs.repeat().isZero() && !now.isBefore(notifiedAt.plus(rs.repeat())))) {
      notifiedAt = now;
      send(item(Alert.FIRING, null));
    }
  }

  private AlertItem item(String status, Instant endsAt) {
    return new AlertItem(
        0,
        Rules.DATABASE_UNREACHABLE,
        node,
        status,
        settings.of(Rules.DATABASE_UNREACHABLE).severity(),
        "node " + node + " cannot reach the database",
        Map.of("node", node),
        downSince,
        endsAt);
  }

  private void send(AlertItem item) {
    Notice notice = new Notice(Rules.DATABASE_UNREACHABLE, List.of(item), false);
    for (Channel c : known) {
      try {
        senders.of(c.type()).send(c, notice);
        metrics.outcome(c.type(), "sent");
      } catch (DeliveryFailure | RuntimeException f) {
        metrics.outcome(c.type(), "failed");
        LOG.log(
            Level.WARNING,
            "SLUICE0809W: database alert to channel {0} failed: {1}",
            c.name(),
            f.getMessage());
      }
    }
  }
}
