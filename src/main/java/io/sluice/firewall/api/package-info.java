/**
 * Firewall resources: {@code /api/v1/firewall/...} (ruleset, apply, check, status, flush, init) and
 * the port forwards of a VM ({@code /api/v1/vms/{id}/forwards}). Validate, convert, delegate.
 */
package io.sluice.firewall.api;
