/** Settings persistence: native SQL on the {@code setting} table through JPA. */
package io.sluice.settings.infra;
