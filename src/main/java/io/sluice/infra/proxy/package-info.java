/**
 * Adapters that implement the proxy engine's SPI on top of Sluice's database and metrics: the
 * caching authenticator, the account loader and the event sink for metrics and usage
 * accounting.
 */
package io.sluice.infra.proxy;
