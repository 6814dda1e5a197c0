/**
 * VM persistence: JPA implementations of the VM and session repositories (tables vm, vm_session).
 */
package io.sluice.vms.infra;
