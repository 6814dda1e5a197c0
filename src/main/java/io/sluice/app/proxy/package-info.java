/**
 * Hosts the proxy engine inside Liberty: starts it on managed threads after start-up, wires the
 * database-backed SPI adapters, reacts to admin changes, flushes usage, and drains on stop.
 */
package io.sluice.app.proxy;
