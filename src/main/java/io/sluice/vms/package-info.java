/**
 * VMs and their addresses: address pools (IPv4 free ranges, random IPv6 interface ids), allocation
 * and release with quarantine. Layers: {@code api} (resources), {@code app} (services), {@code
 * domain} (values, allocator model and logic, repository ports), {@code infra} (SQL).
 */
package io.sluice.vms;
