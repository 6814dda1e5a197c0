/**
 * Live sessions ({@link io.sluice.engine.session.ProxySession}, the registry) and per-user limits
 * (concurrency, session rate, shared bandwidth buckets). Depends on Netty channels, bucket4j and
 * {@code io.sluice.engine.spi}.
 */
package io.sluice.engine.session;
