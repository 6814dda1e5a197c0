/**
 * Export rendering and tokens: plain Java (the JDK and commons-csv); no Jakarta EE.
 */
package io.sluice.exports.domain;
