/**
 * Alert services: rule settings from MicroProfile Config, observers of other features' events, the
 * periodic evaluation (under the {@code alerts} cluster lease) and the outbox sender, the channel
 * service (secrets sealed with the server key) and the delivery metric. Depends on {@code
 * alerts.domain}, {@code platform} and other features' {@code app} services and domain events.
 */
package io.sluice.alerts.app;
