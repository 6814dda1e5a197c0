package io.sluice.vms.infra;

import io.sluice.vms.domain.VmEntity;
import io.sluice.vms.domain.VmFilter;
import io.sluice.vms.domain.VmRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link VmRepository} on JPA. Callers own the transaction. */
@ApplicationScoped
public class JpaVmRepository implements VmRepository {

  @PersistenceContext(unitName = "sluice")
  EntityManager em;

  @Override
  public long nextId() {
    return ((Number) em.createNativeQuery("SELECT nextval('vm_seq')").getSingleResult())
        .longValue();
  }

  @Override
  public VmEntity insert(VmEntity vm) {
    em.persist(vm);
    em.flush();
    return vm;
  }

  @Override
  public Optional<VmEntity> byId(long id) {
    return Optional.ofNullable(em.find(VmEntity.class, id));
  }

  @Override
  public Optional<VmEntity> lock(long id) {
    return Optional.ofNullable(em.find(VmEntity.class, id, LockModeType.PESSIMISTIC_WRITE));
  }

  @Override
  public List<VmEntity> page(VmFilter filter, int page, int size) {
    TypedQuery<VmEntity> q =
        em.createQuery(
            "SELECT v FROM VmEntity v" + where(filter) + " ORDER BY v.id", VmEntity.class);
    bind(q, filter);
    return q.setFirstResult(page * size).setMaxResults(size).getResultList();
  }

  @Override
  public long count(VmFilter filter) {
    TypedQuery<Long> q =
        em.createQuery("SELECT COUNT(v) FROM VmEntity v" + where(filter), Long.class);
    bind(q, filter);
    return q.getSingleResult();
  }

  @Override
  public List<Count> counts() {
    List<Count> out = new ArrayList<>();
    for (Object[] r :
        em.createQuery(
                "SELECT v.vmType, v.state, COUNT(v) FROM VmEntity v GROUP BY v.vmType, v.state",
                Object[].class)
            .getResultList()) {
      out.add(new Count((String) r[0], (String) r[1], ((Number) r[2]).longValue()));
    }
    return out;
  }

  @Override
  public long countWithIpv6() {
    return em.createQuery(
            "SELECT COUNT(v) FROM VmEntity v WHERE v.ipv6Address IS NOT NULL", Long.class)
        .getSingleResult();
  }

  @Override
  public void delete(VmEntity vm) {
    em.remove(vm);
    em.flush();
  }

  private static String where(VmFilter f) {
    List<String> terms = new ArrayList<>();
    if (f.userId() != null) {
      terms.add("v.userId = :user");
    }
    if (f.type() != null) {
      terms.add("v.vmType = :type");
    }
    if (f.state() != null) {
      terms.add("v.state = :state");
    }
    return terms.isEmpty() ? "" : " WHERE " + String.join(" AND ", terms);
  }

  private static void bind(TypedQuery<?> q, VmFilter f) {
    if (f.userId() != null) {
      q.setParameter("user", f.userId());
    }
    if (f.type() != null) {
      q.setParameter("type", f.type());
    }
    if (f.state() != null) {
      q.setParameter("state", f.state());
    }
  }
}
