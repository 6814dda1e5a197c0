/**
 * The console's live feed: who is subscribed with which role until when, the periodic {@code stats}
 * snapshot, and the domain events of other features forwarded to the roles that may see them.
 */
package io.sluice.console.app;
