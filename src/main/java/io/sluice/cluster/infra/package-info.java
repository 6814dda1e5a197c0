/** The cluster event bus: infra layer. */
package io.sluice.cluster.infra;
