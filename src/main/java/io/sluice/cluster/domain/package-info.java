/** The cluster event bus: domain layer. */
package io.sluice.cluster.domain;
