/** The settings repository port. Plain Java. */
package io.sluice.settings.domain;
