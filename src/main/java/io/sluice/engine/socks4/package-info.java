/**
 * SOCKS4/4a CONNECT front end for mixed listeners (source-address authentication only). Depends on
 * Netty, {@code io.sluice.engine.core}, {@code net}, {@code relay} and {@code spi}.
 */
package io.sluice.engine.socks4;
