/** VM address REST resources: {@code /api/v1/address-pools}. Validate, convert and delegate. */
package io.sluice.vms.api;
