/** The proxy-username routing grammar ({@code alice-pool-residential-country-de-session-a1b2-ttl-30}). Plain Java. */
package io.sluice.domain.routing;
