/**
 * Leaving Sluice: one {@link io.sluice.engine.exit.Connector} per {@link
 * io.sluice.engine.spi.ExitRoute} type, and the classification of connect failures. Depends on
 * Netty, {@code io.sluice.engine.spi}, and the SOCKS5 REP value type {@link
 * io.sluice.engine.socks5.Socks5Reply} (upstream replies are read as such).
 */
package io.sluice.engine.exit;
