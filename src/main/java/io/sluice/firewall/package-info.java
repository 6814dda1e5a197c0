/**
 * The host firewall for VM egress (docs/firewall.md): renders Sluice's own nftables table {@code
 * inet sluice} (or iptables chains {@code SLUICE-*}) from the VMs, pools, port forwards and
 * whitelists, checks and loads it atomically, reconciles drift, and stores the port forwards.
 * Layers: {@code api} (resources), {@code app} (services: model building, apply, reconcile), {@code
 * domain} (the plain ruleset model, the renderers, events, the forward entity and its repository
 * port), {@code infra} (JPA, and running {@code nft}/{@code iptables-restore}).
 */
package io.sluice.firewall;
