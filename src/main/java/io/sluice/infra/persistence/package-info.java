/**
 * JPA entities mapped onto the Flyway-owned schema ({@code db/migration}), and their
 * repositories. EclipseLink never generates DDL here.
 */
package io.sluice.infra.persistence;
