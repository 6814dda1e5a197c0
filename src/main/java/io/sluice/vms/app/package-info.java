/**
 * VM services: {@link io.sluice.vms.app.AddressPoolService} (pool CRUD, growth, overlap checks,
 * allocation and release, usage), VMs and their sessions, the stats document, the {@code
 * sluice_vms} and {@code sluice_address_pool_*} gauges. Uses the users feature (the owner, the
 * proxy env) and the exits feature (the dedicated port) through their app services.
 */
package io.sluice.vms.app;
