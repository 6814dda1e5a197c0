package io.sluice.exits.app;

import io.sluice.exits.domain.ExitCheckJobEntity;
import io.sluice.exits.domain.ExitCheckJobRepository;
import io.sluice.exits.domain.ExitCheckJobResultEntity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link ExitCheckJobRepository} in memory for unit tests, newest-first like the JPA one. */
final class InMemoryExitCheckJobRepository implements ExitCheckJobRepository {

  private static final Comparator<ExitCheckJobEntity> NEWEST_FIRST =
      Comparator.<ExitCheckJobEntity, Instant>comparing(j -> j.startedAt)
          .thenComparing(j -> j.id)
          .reversed();

  final Map<Long, ExitCheckJobEntity> jobs = new ConcurrentHashMap<>();
  final List<ExitCheckJobResultEntity> results = new CopyOnWriteArrayList<>();
  private long nextId = 1;

  @Override
  public synchronized ExitCheckJobEntity insert(ExitCheckJobEntity job) {
    job.id = nextId++;
    jobs.put(job.id, job);
    return job;
  }

  @Override
  public Optional<ExitCheckJobEntity> find(long id) {
    return Optional.ofNullable(jobs.get(id));
  }

  @Override
  public List<ExitCheckJobEntity> newest(int limit) {
    return jobs.values().stream().sorted(NEWEST_FIRST).limit(limit).toList();
  }

  @Override
  public synchronized void addResult(ExitCheckJobResultEntity result) {
    result.id = nextId++;
    results.add(result);
  }

  @Override
  public List<ExitCheckJobResultEntity> results(long jobId) {
    return results.stream().filter(r -> r.jobId == jobId).toList();
  }

  @Override
  public synchronized int prune(int keep, Instant before) {
    List<ExitCheckJobEntity> sorted = jobs.values().stream().sorted(NEWEST_FIRST).toList();
    List<Long> old = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      if (i >= keep || sorted.get(i).startedAt.isBefore(before)) {
        old.add(sorted.get(i).id);
      }
    }
    old.forEach(jobs::remove);
    results.removeIf(r -> old.contains(r.jobId));
    return old.size();
  }
}
