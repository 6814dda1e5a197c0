package io.sluice.exits.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One move of a dedicated port to another exit (table {@code dedicated_reassignment}), with the
 * external IP before and after as the exits' checks last saw them.
 */
@Entity
@Table(name = "dedicated_reassignment")
public class DedicatedReassignmentEntity {

  @Id
  @SequenceGenerator(
      name = "dedicatedReassignmentSeq",
      sequenceName = "dedicated_reassignment_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "dedicatedReassignmentSeq")
  public Long id;

  @Column(name = "user_id", nullable = false)
  public long userId;

  @Column(nullable = false)
  public int port;

  @Column(name = "from_exit_id")
  public Long fromExitId;

  @Column(name = "to_exit_id")
  public Long toExitId;

  @Column(name = "from_ip")
  public String fromIp;

  @Column(name = "to_ip")
  public String toIp;

  @Column(nullable = false)
  public String reason;

  @Column(nullable = false)
  public Instant at;
}
