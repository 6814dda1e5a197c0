/**
 * Several nodes on one database act as one gateway: a cluster event log in the database that every
 * node polls (admin changes published by one node are applied by the others within about a second,
 * docs/operations.md "Several nodes"). Layers: {@code app} (the bus), {@code domain} (the event and
 * its store port), {@code infra} (JDBC).
 */
package io.sluice.cluster;
