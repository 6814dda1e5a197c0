/**
 * Firewall services: the ruleset model built from the VMs, pools, users' dedicated ports and
 * whitelists (through those features' {@code app} services), the applier with its check-then-load
 * and rollback behaviour, the periodic reconcile, port forwards, and the VM-by-source look-up the
 * transparent listener needs.
 */
package io.sluice.firewall.app;
