package io.sluice.exits.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/** A named set of exits with a selection strategy and an optional fallback pool. */
@Entity
@Table(name = "exit_pool")
public class ExitPoolEntity {

  @Id
  @SequenceGenerator(name = "poolSeq", sequenceName = "exit_pool_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "poolSeq")
  public Long id;

  @Column(nullable = false, length = 64)
  public String name;

  @Column(nullable = false, length = 32)
  public String strategy;

  @ManyToOne
  @JoinColumn(name = "fallback_pool_id")
  public ExitPoolEntity fallback;

  @Column(name = "sticky_ttl_minutes", nullable = false)
  public int stickyTtlMinutes;

  @ManyToMany
  @JoinTable(
      name = "exit_pool_member",
      joinColumns = @JoinColumn(name = "pool_id"),
      inverseJoinColumns = @JoinColumn(name = "exit_id"))
  public Set<ExitNodeEntity> members = new LinkedHashSet<>();

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @Version public long version;
}
