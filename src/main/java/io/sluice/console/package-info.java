/**
 * The operator console: the browser pages under {@code /console/} (static ES modules in {@code
 * src/main/webapp/console}), the root redirect, and the live event stream {@code GET
 * /api/v1/events}. Layers: {@code api} (servlet, SSE resource) -> {@code app} (the subscribers and
 * what they receive) -> {@code domain} (the live counts the gateway supplies). Other features are
 * used through their app services and domain events only.
 */
package io.sluice.console;
