/**
 * VM resources: {@code /api/v1/address-pools}, {@code /api/v1/vms} and {@code /api/v1/stats}.
 * Validate, convert and delegate to {@code vms.app}.
 */
package io.sluice.vms.api;
