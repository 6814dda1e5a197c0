/**
 * Leaving Sluice: one {@link io.sluice.engine.exit.Connector} per
 * {@link io.sluice.engine.spi.ExitRoute} type, and the classification of connect failures.
 * Depends on Netty and {@code io.sluice.engine.spi} only.
 */
package io.sluice.engine.exit;
