/**
 * Proxy user values and change events. Plain Java.
 */
package io.sluice.users.domain;
