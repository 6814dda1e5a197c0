package io.sluice.exits.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/**
 * A check of many exits run in the background (table {@code exit_check_job}). Its state goes from
 * {@code running} to {@code done} or {@code failed}, never back; the counters only grow. The node
 * running it touches {@code updatedAt} with every batch of results, so a job whose node died can be
 * told apart from a slow one.
 */
@Entity
@Table(name = "exit_check_job")
public class ExitCheckJobEntity {

  public static final String RUNNING = "running";
  public static final String DONE = "done";
  public static final String FAILED = "failed";

  @Id
  @SequenceGenerator(
      name = "exitCheckJobSeq",
      sequenceName = "exit_check_job_seq",
      allocationSize = 50)
  @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "exitCheckJobSeq")
  public Long id;

  @Column(nullable = false, length = 16)
  public String state;

  @Column(nullable = false, length = 64)
  public String node;

  @Column(name = "filter_pool", length = 128)
  public String pool;

  @Column(name = "filter_state", length = 16)
  public String exitState;

  @Column(name = "filter_country", length = 2)
  public String country;

  @Column(nullable = false)
  public int total;

  @Column(nullable = false)
  public int done;

  @Column(nullable = false)
  public int healthy;

  @Column(nullable = false)
  public int failing;

  @Column(length = 500)
  public String error;

  @Column(name = "started_at", nullable = false)
  public Instant startedAt;

  @Column(name = "updated_at", nullable = false)
  public Instant updatedAt;

  @Column(name = "finished_at")
  public Instant finishedAt;

  /** A running job of {@code total} exits, started now on {@code node}. */
  public static ExitCheckJobEntity start(String node, int total, Instant now) {
    ExitCheckJobEntity j = new ExitCheckJobEntity();
    j.state = RUNNING;
    j.node = node;
    j.total = total;
    j.startedAt = j.updatedAt = now;
    return j;
  }

  public boolean running() {
    return RUNNING.equals(state);
  }

  /** Counts a batch of results; ignored once the job has ended. */
  public void count(int healthyResults, int failingResults, Instant now) {
    if (!running()) {
      return;
    }
    healthy += healthyResults;
    failing += failingResults;
    done = healthy + failing;
    updatedAt = now;
  }

  /** Touches the job without results (a heartbeat while slow checks run). */
  public void touch(Instant now) {
    if (running()) {
      updatedAt = now;
    }
  }

  /** Ends a running job as done. */
  public void finish(Instant now) {
    if (running()) {
      state = DONE;
      updatedAt = finishedAt = now;
    }
  }

  /** Ends a running job as failed, with the reason. */
  public void fail(String reason, Instant now) {
    if (running()) {
      state = FAILED;
      error = reason == null ? null : reason.length() > 500 ? reason.substring(0, 500) : reason;
      updatedAt = finishedAt = now;
    }
  }

  /** Whether this job is running but has not been updated for longer than {@code limit}. */
  public boolean stale(Instant now, Duration limit) {
    return running() && updatedAt.plus(limit).isBefore(now);
  }
}
