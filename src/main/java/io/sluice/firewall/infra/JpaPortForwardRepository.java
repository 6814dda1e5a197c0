package io.sluice.firewall.infra;

import io.sluice.firewall.domain.PortForwardEntity;
import io.sluice.firewall.domain.PortForwardRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.List;
import java.util.Optional;

/** {@link PortForwardRepository} on JPA. Callers own the transaction. */
@ApplicationScoped
public class JpaPortForwardRepository implements PortForwardRepository {

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Override
  public long nextId() {
    return ((Number)
            em.createNativeQuery("SELECT nextval('vm_port_forward_seq')").getSingleResult())
        .longValue();
  }

  @Override
  public void insert(PortForwardEntity forward) {
    em.persist(forward);
    em.flush();
  }

  @Override
  public Optional<PortForwardEntity> byId(long id) {
    return Optional.ofNullable(em.find(PortForwardEntity.class, id));
  }

  @Override
  public Optional<PortForwardEntity> byPublicPort(String protocol, int publicPort) {
    return em.createQuery(
            "SELECT f FROM PortForwardEntity f WHERE f.protocol = :p AND f.publicPort = :n",
            PortForwardEntity.class)
        .setParameter("p", protocol)
        .setParameter("n", publicPort)
        .getResultStream()
        .findFirst();
  }

  @Override
  public List<PortForwardEntity> byVm(long vmId) {
    return em.createQuery(
            "SELECT f FROM PortForwardEntity f WHERE f.vmId = :v ORDER BY f.id",
            PortForwardEntity.class)
        .setParameter("v", vmId)
        .getResultList();
  }

  @Override
  public List<PortForwardEntity> all() {
    return em.createQuery(
            "SELECT f FROM PortForwardEntity f ORDER BY f.id", PortForwardEntity.class)
        .getResultList();
  }

  @Override
  public void delete(PortForwardEntity forward) {
    em.remove(forward);
  }
}
