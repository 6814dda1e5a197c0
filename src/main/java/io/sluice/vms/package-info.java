/**
 * VMs: address pools and allocation (IPv4 without materialising addresses, a dedicated IPv6 per VM
 * from a /64), VMs tied to their user's dedicated proxy port, sessions, and the operator's stats
 * (docs/vms.md).
 */
package io.sluice.vms;
