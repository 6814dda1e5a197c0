package io.sluice.firewall.app;

import io.sluice.firewall.domain.Backend;
import io.sluice.firewall.domain.FirewallApplyFailed;
import io.sluice.firewall.domain.FirewallModel;
import io.sluice.firewall.domain.RuleLoader;
import io.sluice.firewall.domain.Ruleset;
import io.sluice.platform.problem.ApiException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The firewall's rules engine room, without CDI (so it is unit-tested against a fake loader):
 * render the current model, check it, load it atomically, remember what was loaded, detect and
 * repair drift. A failed check or load keeps the rules that were loaded before and reports {@link
 * FirewallApplyFailed}. All methods are serialised: one apply at a time per node.
 */
public final class FirewallService {

  private static final Logger LOG = System.getLogger(FirewallService.class.getName());

  /** What an apply did. */
  public record Applied(boolean ok, String backend, String tag, String error, Instant at) {}

  /** One kernel setting {@link #init} looked at. */
  public record SysctlChange(String key, String before, String after, boolean changed) {}

  /** What {@link #init} did. */
  public record InitResult(java.util.List<SysctlChange> settings, String persisted) {}

  /** The firewall's state on this node. */
  public record Status(
      boolean applyEnabled,
      String backend,
      String netns,
      String desiredTag,
      String appliedTag,
      Instant appliedAt,
      String loadedTag,
      boolean drift,
      long applies,
      long failures,
      long repairs,
      String lastError,
      Instant lastErrorAt) {}

  private final Supplier<FirewallModel> model;
  private final RuleLoader loader;
  private final Consumer<FirewallApplyFailed> failed;
  private final Clock clock;
  private final boolean applyEnabled;
  private final String configuredBackend;
  private final String netns;

  private Backend backend;
  private String appliedTag;
  private Instant appliedAt;
  private Consumer<String> applied = tag -> {};
  private long applies;
  private long failures;
  private long repairs;
  private String lastError;
  private Instant lastErrorAt;

  public FirewallService(
      Supplier<FirewallModel> model,
      RuleLoader loader,
      Consumer<FirewallApplyFailed> failed,
      Clock clock,
      boolean applyEnabled,
      String configuredBackend,
      String netns) {
    this.model = model;
    this.loader = loader;
    this.failed = failed;
    this.clock = clock;
    this.applyEnabled = applyEnabled;
    this.configuredBackend = configuredBackend;
    this.netns = netns;
  }

  /** The backend in use: the configured one, or detected ({@code nft -c} works: nftables). */
  public synchronized Backend backend() {
    if (backend == null) {
      Backend wanted = Backend.ofWire(configuredBackend);
      if (wanted != null) {
        backend = wanted;
      } else if (loader.available(Backend.NFTABLES)) {
        backend = Backend.NFTABLES;
      } else if (loader.available(Backend.IPTABLES)) {
        backend = Backend.IPTABLES;
      } else {
        return Backend.NFTABLES; // nothing usable: render nftables, applying will say why
      }
      LOG.log(
          Level.INFO,
          "SLUICE0900I: firewall backend {0}{1}, applying {2}",
          backend.wire(),
          netns == null ? "" : " in network namespace " + netns,
          applyEnabled ? "on" : "off (SLUICE_FIREWALL_APPLY=true turns it on)");
    }
    return backend;
  }

  /** The current rules for a backend ({@code null}: the one in use). */
  public Ruleset ruleset(Backend b) {
    return Ruleset.render(b == null ? backend() : b, model.get());
  }

  /** Checks the current rules with the backend's own check; nothing is loaded. */
  public synchronized Applied check() {
    Ruleset r = ruleset(null);
    RuleLoader.Result res = loader.check(r.backend(), r);
    return new Applied(
        res.ok(), r.backend().wire(), r.tag(), res.ok() ? null : res.output(), now());
  }

  /**
   * Renders, checks and loads the current rules. Refused (409) when applying is off. On failure the
   * old rules stay, {@link FirewallApplyFailed} is fired and the answer carries the error.
   */
  public synchronized Applied apply(String trigger) {
    if (!applyEnabled) {
      throw ApiException.conflict(
          "applying firewall rules is off on this node; set SLUICE_FIREWALL_APPLY=true "
              + "(GET /api/v1/firewall/ruleset shows the rules)");
    }
    Ruleset r;
    FirewallModel m;
    try {
      m = model.get();
      r = Ruleset.render(backend(), m);
    } catch (RuntimeException e) {
      return failed(backend(), null, trigger, "cannot render the rules: " + e.getMessage());
    }
    RuleLoader.Result checked = loader.check(r.backend(), r);
    if (!checked.ok()) {
      return failed(r.backend(), r.tag(), trigger, "check refused the rules: " + checked.output());
    }
    RuleLoader.Result loaded = loader.load(r.backend(), r);
    if (!loaded.ok()) {
      return failed(r.backend(), r.tag(), trigger, "loading failed: " + loaded.output());
    }
    applies++;
    try {
      applied.accept(r.tag());
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SLUICE0912W: FirewallApplied observer failed: {0}", e.toString());
    }
    boolean changed = !r.tag().equals(appliedTag);
    appliedTag = r.tag();
    appliedAt = now();
    if (changed) {
      LOG.log(
          Level.INFO,
          "SLUICE0902I: firewall rules {0} loaded ({1}, {2} VMs, {3} forwards; {4})",
          r.tag(),
          r.backend().wire(),
          m.vms().size(),
          m.forwards().size(),
          trigger);
    }
    return new Applied(true, r.backend().wire(), r.tag(), null, appliedAt);
  }

  /**
   * Compares what the kernel holds with the current rules and loads them when they differ (rules
   * gone after {@code nft flush ruleset}, or the state changed). Returns whether it re-applied;
   * {@code repairs} counts the re-applies of unchanged rules the kernel had lost.
   */
  public synchronized boolean reconcile() {
    if (!applyEnabled) {
      return false;
    }
    Ruleset r;
    try {
      r = ruleset(null);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SLUICE0905W: firewall reconcile cannot render the rules: {0}", e);
      return false;
    }
    String loaded = loader.loadedTag(r.backend());
    if (r.tag().equals(loaded)) {
      return false;
    }
    boolean drift = appliedTag != null && appliedTag.equals(r.tag());
    if (drift) {
      LOG.log(
          Level.WARNING,
          "SLUICE0903W: firewall drift: the kernel holds {0} instead of {1}; repairing",
          loaded == null ? "no Sluice rules" : loaded,
          r.tag());
    }
    Applied a = apply(drift ? "drift" : "reconcile");
    if (a.ok() && drift) {
      repairs++;
    }
    return a.ok();
  }

  /** Removes Sluice's table or chains (and nothing else). */
  public synchronized RuleLoader.Result flush() {
    RuleLoader.Result r = loader.remove(backend());
    if (r.ok()) {
      appliedTag = null;
      appliedAt = null;
      LOG.log(Level.INFO, "SLUICE0904I: firewall rules removed ({0})", backend().wire());
    }
    return r;
  }

  /**
   * Enables IPv4 and IPv6 forwarding ({@code net.ipv4.ip_forward}, {@code
   * net.ipv6.conf.all.forwarding}) where Sluice's rules go, and reports what changed; with {@code
   * persist} also writes them as a sysctl drop-in. Refused (409) when applying is off.
   */
  public synchronized InitResult init(boolean persist) {
    if (!applyEnabled) {
      throw ApiException.conflict(
          "changing kernel settings is off on this node; set SLUICE_FIREWALL_APPLY=true");
    }
    java.util.Map<String, String> wanted = new java.util.LinkedHashMap<>();
    wanted.put("net.ipv4.ip_forward", "1");
    wanted.put("net.ipv6.conf.all.forwarding", "1");
    java.util.List<SysctlChange> changes = new java.util.ArrayList<>();
    for (var e : wanted.entrySet()) {
      String before = loader.sysctl(e.getKey());
      if (!e.getValue().equals(before)) {
        RuleLoader.Result r = loader.setSysctl(e.getKey(), e.getValue());
        if (!r.ok()) {
          throw new ApiException(
              422, "firewall-init-failed", "Kernel setting not changed", r.output(), null);
        }
      }
      String after = loader.sysctl(e.getKey());
      changes.add(new SysctlChange(e.getKey(), before, after, !e.getValue().equals(before)));
    }
    String persisted = null;
    if (persist) {
      RuleLoader.Result r = loader.persistSysctl(wanted);
      persisted = r.output();
    }
    LOG.log(Level.INFO, "SLUICE0909I: firewall init: {0}", changes);
    return new InitResult(changes, persisted);
  }

  /** Told the tag of every ruleset loaded successfully (clears a firewall alert). */
  public void onApplied(Consumer<String> listener) {
    this.applied = listener == null ? tag -> {} : listener;
  }

  public synchronized Status status() {
    String desired;
    try {
      desired = ruleset(null).tag();
    } catch (RuntimeException e) {
      desired = null;
    }
    String loaded = applyEnabled ? loader.loadedTag(backend()) : null;
    boolean drift = applyEnabled && appliedTag != null && !appliedTag.equals(loaded);
    return new Status(
        applyEnabled,
        backend().wire(),
        netns,
        desired,
        appliedTag,
        appliedAt,
        loaded,
        drift,
        applies,
        failures,
        repairs,
        lastError,
        lastErrorAt);
  }

  private Applied failed(Backend b, String tag, String trigger, String error) {
    failures++;
    lastError = error.length() > 4000 ? error.substring(0, 4000) : error;
    lastErrorAt = now();
    LOG.log(
        Level.WARNING,
        "SLUICE0901W: firewall rules {0} not loaded ({1}); the previous rules stay: {2}",
        tag,
        trigger,
        lastError);
    try {
      failed.accept(new FirewallApplyFailed(b, tag, trigger, lastError, lastErrorAt));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "SLUICE0906W: FirewallApplyFailed observer failed: {0}", e.toString());
    }
    return new Applied(false, b.wire(), tag, lastError, lastErrorAt);
  }

  private Instant now() {
    return clock.instant();
  }
}
