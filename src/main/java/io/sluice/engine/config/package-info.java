/**
 * The engine's configuration values: {@link io.sluice.engine.config.EngineConfig} (listeners,
 * timeouts, limits, transport), {@link io.sluice.engine.config.ListenerConfig} and {@link
 * io.sluice.engine.config.ListenerKind}. Plain records; depends on {@code engine.spi} only, so
 * every engine package may read them without a cycle.
 */
package io.sluice.engine.config;
