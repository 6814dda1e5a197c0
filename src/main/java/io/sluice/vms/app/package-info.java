/**
 * VM services: address allocation ({@code AddressPoolService}), VMs and their sessions, the stats
 * document, the {@code sluice_vms} and {@code sluice_address_pool_*} gauges. Uses the users feature
 * (the owner, the proxy env) and the exits feature (the dedicated port) through their app services.
 */
package io.sluice.vms.app;
