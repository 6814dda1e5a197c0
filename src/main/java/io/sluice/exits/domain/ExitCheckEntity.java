package io.sluice.exits.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/** One health check of one exit (table {@code exit_check}); the newest few are kept per exit. */
@Entity
@Table(name = "exit_check")
public class ExitCheckEntity {

  @Id
  @SequenceGenerator(name = "exitCheckSeq", sequenceName = "exit_check_seq", allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "exitCheckSeq")
  public Long id;

  @Column(name = "exit_id", nullable = false)
  public long exitId;

  @Column(name = "checked_at", nullable = false)
  public Instant checkedAt;

  @Column(nullable = false)
  public boolean healthy;

  @Column(name = "actual_ip", length = 64)
  public String actualIp;

  @Column(name = "latency_ms")
  public Integer latencyMs;

  @Column(name = "http_status")
  public Integer httpStatus;

  @Column(length = 500)
  public String error;

  /** The Sluice server (node name) that ran the check; null for checks before V32. */
  @Column(name = "checked_by", length = 128)
  public String checkedBy;
}
