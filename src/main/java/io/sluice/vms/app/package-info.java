/**
 * VM address services: {@link io.sluice.vms.app.AddressPoolService} (pool CRUD, growth, overlap
 * checks, allocation and release for the VMs feature, usage for stats). Depends on the vms domain
 * and platform.
 */
package io.sluice.vms.app;
