/**
 * Admin domain values and events (security events raised on lockouts and token reuse). Plain Java.
 */
package io.sluice.admin.domain;
