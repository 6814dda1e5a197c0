/**
 * Proxy user persistence and the usage recorder.
 */
package io.sluice.users.infra;
