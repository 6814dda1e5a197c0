package io.sluice.exits.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A user's dedicated listener port and its sticky exit (table {@code dedicated_assignment}). */
@Entity
@Table(name = "dedicated_assignment")
public class DedicatedAssignmentEntity {

  @Id
  @Column(name = "user_id")
  public Long userId;

  @Column(nullable = false)
  public int port;

  /** The sticky exit; {@code null} means the user's sessions on this port leave directly. */
  @Column(name = "exit_id")
  public Long exitId;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
