/** The cluster event bus: app layer. */
package io.sluice.cluster.app;
