/** Export link persistence: the JPA implementation of the domain's link repository. */
package io.sluice.exports.infra;
