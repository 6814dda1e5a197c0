package io.sluice.tor.infra;

import io.sluice.tor.domain.TorExitSeenEntity;
import io.sluice.tor.domain.TorNodeEntity;
import io.sluice.tor.domain.TorRepository;
import io.sluice.tor.domain.TorSettingsEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** {@link TorRepository} on JPA. Callers own the transaction. */
@ApplicationScoped
public class JpaTorRepository implements TorRepository {

  @PersistenceContext(unitName = "sluice")
  private EntityManager em;

  @Override
  public TorSettingsEntity settings() {
    return em.find(TorSettingsEntity.class, 1);
  }

  @Override
  public List<TorNodeEntity> nodes() {
    return em.createQuery(
            "SELECT n FROM TorNodeEntity n ORDER BY n.server, n.nodeIndex", TorNodeEntity.class)
        .getResultList();
  }

  @Override
  public Optional<TorNodeEntity> node(long id) {
    return Optional.ofNullable(em.find(TorNodeEntity.class, id));
  }

  @Override
  public Optional<TorNodeEntity> node(String server, int index) {
    return em.createQuery(
            "SELECT n FROM TorNodeEntity n WHERE n.server = :s AND n.nodeIndex = :i",
            TorNodeEntity.class)
        .setParameter("s", server)
        .setParameter("i", index)
        .getResultStream()
        .findFirst();
  }

  @Override
  public void insert(TorNodeEntity node) {
    em.persist(node);
  }

  @Override
  public void delete(TorNodeEntity node) {
    em.remove(node);
  }

  @Override
  public void addSeen(TorExitSeenEntity seen) {
    em.persist(seen);
  }

  @Override
  public List<String> recentExitIps(int limit) {
    return em.createQuery(
            "SELECT e.ip FROM TorExitSeenEntity e ORDER BY e.seenAt DESC, e.id DESC", String.class)
        .setMaxResults(Math.max(1, limit))
        .getResultList();
  }
}
