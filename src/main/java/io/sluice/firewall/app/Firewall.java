package io.sluice.firewall.app;

import io.sluice.firewall.domain.FirewallApplyFailed;
import io.sluice.firewall.domain.ForwardsChanged;
import io.sluice.firewall.domain.RuleLoader;
import io.sluice.platform.db.SluiceStarted;
import io.sluice.vms.domain.VmChanged;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hosts the {@link FirewallService} on this node: applies the rules at start-up, after every VM or
 * port forward change (after commit, off the request thread, coalesced), and reconciles every
 * {@code sluice.firewall.reconcile-seconds} (which also picks up whitelist and dedicated port
 * changes). Nothing runs unless {@code SLUICE_FIREWALL_APPLY=true}.
 */
@ApplicationScoped
public class Firewall {

  private static final Logger LOG = System.getLogger(Firewall.class.getName());

  @Inject FirewallSettings settings;
  @Inject FirewallModels models;
  @Inject RuleLoader loader;
  @Inject Event<FirewallApplyFailed> failedEvent;
  @Inject Event<io.sluice.firewall.domain.FirewallApplied> appliedEvent;
  @Resource ManagedScheduledExecutorService scheduler;

  private FirewallService service;
  private ScheduledFuture<?> task;
  private final AtomicBoolean pending = new AtomicBoolean();

  @PostConstruct
  void init() {
    service =
        new FirewallService(
            models::current,
            loader,
            failedEvent::fire,
            Clock.systemUTC(),
            settings.apply(),
            settings.backend(),
            settings.netns());
    service.onApplied(tag -> appliedEvent.fire(new io.sluice.firewall.domain.FirewallApplied(tag)));
  }

  public FirewallService service() {
    return service;
  }

  void onStart(@Observes SluiceStarted started) {
    if (!settings.apply()) {
      return;
    }
    int every = settings.reconcileSeconds();
    synchronized (this) {
      task = scheduler.scheduleWithFixedDelay(this::reconcile, 0, every, TimeUnit.SECONDS);
    }
  }

  void vmChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) VmChanged changed) {
    soon("vm " + changed.change());
  }

  void forwardsChanged(@Observes(during = TransactionPhase.AFTER_SUCCESS) ForwardsChanged changed) {
    soon("forwards changed");
  }

  /** Applies soon on the managed executor; changes arriving meanwhile share one apply. */
  private void soon(String trigger) {
    if (!settings.apply() || !pending.compareAndSet(false, true)) {
      return;
    }
    scheduler.execute(() -> {
      pending.set(false);
      try {
        service.apply(trigger);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "SLUICE0907W: firewall apply after {0} failed: {1}", trigger, e);
      }
    });
  }

  private void reconcile() {
    try {
      service.reconcile();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SLUICE0908W: firewall reconcile failed: {0}", e.toString());
    }
  }

  @PreDestroy
  synchronized void stop() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }
}
