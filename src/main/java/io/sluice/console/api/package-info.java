/**
 * The console's HTTP entry points: the redirect from {@code /} to {@code /console/} and the
 * server-sent event stream {@code GET /api/v1/events}. Validate, convert, delegate to {@code
 * console.app}.
 */
package io.sluice.console.api;
