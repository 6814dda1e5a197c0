/** Proxy user persistence: the JPA proxy user repository and the JDBC usage repository. */
package io.sluice.users.infra;
