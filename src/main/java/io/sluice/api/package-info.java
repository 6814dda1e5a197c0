/**
 * The admin API (JAX-RS under {@code /api}), health checks and, later, the tunnel WebSocket
 * endpoint. Thin: validate and convert the request, call one service, convert the answer. May
 * depend on {@code app} and {@code domain}; nothing depends on it.
 */
package io.sluice.api;
