/**
 * Shared plumbing every feature may use: database and migrations, server keys and crypto, problem
 * documents, web filters, health checks. Imports no feature package.
 */
package io.sluice.platform;
