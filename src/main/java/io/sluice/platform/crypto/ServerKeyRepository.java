package io.sluice.platform.crypto;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;

/** Keys shared by all nodes; each call runs in its own transaction. */
@ApplicationScoped
public class ServerKeyRepository {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public Optional<String> find(String name) {
    return Optional.ofNullable(em.find(ServerKeyEntity.class, name))
        .map(ServerKeyEntity::getValueEnc);
  }

  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void insert(String name, String valueEnc) {
    em.persist(new ServerKeyEntity(name, valueEnc, Instant.now()));
    em.flush();
  }
}
