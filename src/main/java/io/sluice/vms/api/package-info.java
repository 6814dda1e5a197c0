/**
 * VM and stats resources: validate, convert and delegate to {@code vms.app}. Depends on {@code
 * vms.app}, {@code vms.domain} values and {@code platform.web}.
 */
package io.sluice.vms.api;
