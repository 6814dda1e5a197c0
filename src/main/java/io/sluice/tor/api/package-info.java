/**
 * The Tor fleet's API under {@code /api/v1/tor}: nodes, scaling, rotation, settings. Validates,
 * converts and delegates to {@code tor.app}.
 */
package io.sluice.tor.api;
