/**
 * VMs and their addresses: address pools (IPv4 free ranges without materialising addresses, a
 * dedicated IPv6 per VM from a /64 by random interface id), allocation and release with quarantine,
 * VMs tied to their user's dedicated proxy port, sessions, and the operator's stats (docs/vms.md).
 * Layers: {@code api} (resources), {@code app} (services), {@code domain} (values, allocator model
 * and rules, entities, repository ports), {@code infra} (SQL and JPA).
 */
package io.sluice.vms;
