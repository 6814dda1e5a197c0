/** Network helpers shared by features: comma-separated CIDR lists kept in settings. */
package io.sluice.platform.net;
