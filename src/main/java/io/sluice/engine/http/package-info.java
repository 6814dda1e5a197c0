/**
 * HTTP proxy front end: CONNECT tunnels and absolute-form forwarding with keep-alive, streaming
 * bodies, hop-by-hop header removal and {@code Proxy-Authorization: Basic}. Depends on Netty's HTTP
 * codec, {@code io.sluice.engine.core}, {@code net}, {@code session}, {@code relay} and {@code
 * spi}.
 */
package io.sluice.engine.http;
