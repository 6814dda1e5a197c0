/**
 * Firewall infrastructure: the JPA port forward repository, and {@link
 * io.sluice.firewall.infra.CommandRuleLoader}, which runs {@code nft} or {@code iptables-restore}
 * (optionally through {@code ip netns exec}) with a bounded wait.
 */
package io.sluice.firewall.infra;
