/**
 * RFC 9457 problem documents: every 4xx and 5xx of the admin API is {@code
 * application/problem+json}, never an HTML page or a stack trace.
 */
package io.sluice.platform.problem;
