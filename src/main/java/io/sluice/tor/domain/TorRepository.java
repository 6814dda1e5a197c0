package io.sluice.tor.domain;

import java.util.List;
import java.util.Optional;

/** The fleet's rows. Callers own the transaction. */
public interface TorRepository {

  TorSettingsEntity settings();

  List<TorNodeEntity> nodes();

  Optional<TorNodeEntity> node(long id);

  Optional<TorNodeEntity> node(String server, int index);

  void insert(TorNodeEntity node);

  void delete(TorNodeEntity node);

  void addSeen(TorExitSeenEntity seen);

  /** The IPs of the newest {@code limit} exits seen, fleet-wide. */
  List<String> recentExitIps(int limit);
}
