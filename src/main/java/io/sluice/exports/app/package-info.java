/** Export link service: issue, list, revoke and serve export links. */
package io.sluice.exports.app;
