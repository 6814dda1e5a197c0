package io.sluice.vms.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A session on a VM (table {@code vm_session}): open while {@code endedAt} is null. The row stays
 * when its VM is deleted ({@code vmId} becomes null) and then counts as completed.
 */
@Entity
@Table(name = "vm_session")
public class VmSessionEntity {

  @Id
  @SequenceGenerator(name = "vmSessionSeq", sequenceName = "vm_session_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "vmSessionSeq")
  public Long id;

  @Column(name = "vm_id")
  public Long vmId;

  @Column(name = "started_at", nullable = false)
  public Instant startedAt;

  @Column(name = "ended_at")
  public Instant endedAt;
}
