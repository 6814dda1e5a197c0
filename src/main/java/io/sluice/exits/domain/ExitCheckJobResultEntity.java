package io.sluice.exits.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/**
 * One exit's result in a check job (table {@code exit_check_job_result}); gone with its job. The
 * exit may have been deleted since.
 */
@Entity
@Table(name = "exit_check_job_result")
public class ExitCheckJobResultEntity {

  @Id
  @SequenceGenerator(
      name = "exitCheckJobResultSeq",
      sequenceName = "exit_check_job_result_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "exitCheckJobResultSeq")
  public Long id;

  @Column(name = "job_id", nullable = false)
  public long jobId;

  @Column(name = "exit_id", nullable = false)
  public long exitId;

  @Column(nullable = false, length = 128)
  public String name;

  public Integer port;

  @Column(name = "expected_ip", length = 64)
  public String expectedIp;

  @Column(name = "actual_ip", length = 64)
  public String actualIp;

  @Column(name = "ip_mismatch", nullable = false)
  public boolean ipMismatch;

  @Column(nullable = false)
  public boolean healthy;

  @Column(nullable = false)
  public boolean slow;

  @Column(name = "latency_ms", nullable = false)
  public long latencyMs;

  @Column(name = "http_status", nullable = false)
  public int httpStatus;

  @Column(name = "exit_state", nullable = false, length = 16)
  public String exitState;

  @Column(length = 500)
  public String error;
}
