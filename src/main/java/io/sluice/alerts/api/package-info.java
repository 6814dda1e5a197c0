/**
 * Alert resources: {@code /api/v1/alerts}, {@code /api/v1/alerts/deliveries}, {@code
 * /api/v1/alerts/rules} and {@code /api/v1/alerts/channels}. Validate, convert and delegate to
 * {@code alerts.app}.
 */
package io.sluice.alerts.api;
