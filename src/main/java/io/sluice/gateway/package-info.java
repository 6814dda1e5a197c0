/**
 * The composition root: hosts the proxy engine inside Liberty on managed threads, wires the SPI
 * adapters (caching authenticator, exit selector, engine events to metrics and usage), binds the
 * listeners, runs start-up in order, exposes live sessions, reacts to admin changes and drains on
 * stop. The only product package that may use any feature.
 */
package io.sluice.gateway;
