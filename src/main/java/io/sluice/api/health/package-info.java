/** MicroProfile Health checks: each names what it checked. */
package io.sluice.api.health;
