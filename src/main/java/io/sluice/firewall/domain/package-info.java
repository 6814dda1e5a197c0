/**
 * Firewall domain: {@link io.sluice.firewall.domain.FirewallModel} (what the rules say, as plain
 * values), the renderers {@link io.sluice.firewall.domain.NftRenderer} and {@link
 * io.sluice.firewall.domain.IptablesRenderer} (pure functions of the model, golden-file tested),
 * the events, the port forward entity and its repository port, and the {@link
 * io.sluice.firewall.domain.RuleLoader} port the applier drives. JDK and JPA annotations only.
 */
package io.sluice.firewall.domain;
