/**
 * Exit, provider and pool resources and the IP echo used by health checks. (The exits readiness
 * check reads the gateway's live snapshot, so it lives in {@code io.sluice.gateway}.)
 */
package io.sluice.exits.api;
