/**
 * Export links: proxy lists (TXT, CSV, JSON) for people who should not log in, handed out behind
 * signed, expiring tokens. Plain Java: the JDK and commons-csv only; no Jakarta EE. The database
 * and REST wiring live elsewhere and call {@link io.sluice.infra.exports.ExportRenderer} and
 * {@link io.sluice.infra.exports.ExportTokens}.
 */
package io.sluice.infra.exports;
