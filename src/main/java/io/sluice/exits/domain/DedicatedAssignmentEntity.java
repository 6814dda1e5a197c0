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

  public static final String AUTO = "auto";
  public static final String NEVER = "never";

  @Id
  @Column(name = "user_id")
  public Long userId;

  @Column(nullable = false)
  public int port;

  /**
   * The sticky exit; {@code null} means none (the pool had no usable exit, or the exit was
   * deleted): the port then refuses sessions. Sessions leave directly only through an exit of kind
   * {@code direct} that the operator put here (or in the user's default pool).
   */
  @Column(name = "exit_id")
  public Long exitId;

  /** {@code auto}: move to a healthy exit when this one turns unhealthy; {@code never}: refuse. */
  @Column(nullable = false)
  public String reassign = AUTO;

  @Column(name = "created_at", nullable = false)
  public Instant createdAt;
}
