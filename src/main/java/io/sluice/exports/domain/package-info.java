/**
 * Export rendering and tokens, the stored export link and its repository port: plain Java (the JDK
 * and commons-csv); no Jakarta EE.
 */
package io.sluice.exports.domain;
