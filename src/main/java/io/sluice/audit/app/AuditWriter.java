package io.sluice.audit.app;

import io.sluice.audit.domain.AuditEventRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

/**
 * Appends one audit event in a transaction of its own, so an admin call that fails and rolls back
 * is still recorded. A bean of its own so that {@link AuditService} reaches it through the CDI
 * proxy (a self-call would bypass {@code REQUIRES_NEW}).
 */
@ApplicationScoped
public class AuditWriter {

  @Inject AuditEventRepository events;

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void append(AuditEventRepository.NewEvent event) {
    events.append(event);
  }
}
