/** Export links: signed, expiring, revocable downloads of proxy lists (TXT, CSV, JSON). */
package io.sluice.exports;
