package io.sluice.platform.db;

import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionCustomizer;

/**
 * Makes the JPA provider fail fast when the database is unreachable. By default EclipseLink retries
 * a read outside a transaction three times after a communication failure and waits 5 s before each
 * retry, so one query took up to 15 s to fail during an outage (measured: the proxy's settings
 * lookup and {@code GET /api/v1/users} hung). Sluice has its own answers to an outage
 * (last-known-good proxy data, 503 {@code database-unavailable} from the API), so the provider must
 * hand the failure on at once. Named in {@code persistence.xml} as {@code
 * eclipselink.session.customizer}.
 */
public final class FailFastSession implements SessionCustomizer {

  @Override
  public void customize(Session session) {
    session.getLogin().setQueryRetryAttemptCount(0);
    session.getLogin().setDelayBetweenConnectionAttempts(0);
  }
}
