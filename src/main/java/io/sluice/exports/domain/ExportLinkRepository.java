package io.sluice.exports.domain;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The stored export links. Callers own the transaction. */
public interface ExportLinkRepository {

  /** Stores a new link (its download count is stored as 0 whatever {@code link} says). */
  void insert(ExportLink link);

  /** Every link, newest first. */
  List<ExportLink> all();

  Optional<ExportLink> byId(String id);

  /** Marks an active link revoked at {@code at}; false when there is no such active link. */
  boolean revoke(String id, Instant at);

  /** Adds one to the link's download count. */
  void countDownload(String id);
}
