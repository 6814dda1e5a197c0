package io.sluice.exports.app;

import io.sluice.exports.domain.ExportLink;
import io.sluice.exports.domain.ExportLinkRepository;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link ExportLinkRepository} in a map. */
final class InMemoryExportLinkRepository implements ExportLinkRepository {

  final Map<String, ExportLink> rows = new LinkedHashMap<>();

  @Override
  public void insert(ExportLink l) {
    if (rows.putIfAbsent(
            l.id(),
            new ExportLink(
                l.id(),
                l.scope(),
                l.pool(),
                l.format(),
                l.bindCidr(),
                l.expiresAt(),
                null,
                l.createdBy(),
                l.createdAt(),
                0))
        != null) {
      throw new IllegalStateException("duplicate key " + l.id());
    }
  }

  @Override
  public List<ExportLink> all() {
    return rows.values().stream()
        .sorted(Comparator.comparing(ExportLink::createdAt).reversed())
        .toList();
  }

  @Override
  public Optional<ExportLink> byId(String id) {
    return Optional.ofNullable(rows.get(id));
  }

  @Override
  public boolean revoke(String id, Instant at) {
    ExportLink l = rows.get(id);
    if (l == null || l.revokedAt() != null) {
      return false;
    }
    rows.put(
        id,
        new ExportLink(
            l.id(),
            l.scope(),
            l.pool(),
            l.format(),
            l.bindCidr(),
            l.expiresAt(),
            at,
            l.createdBy(),
            l.createdAt(),
            l.downloads()));
    return true;
  }

  @Override
  public void countDownload(String id) {
    ExportLink l = rows.get(id);
    rows.put(
        id,
        new ExportLink(
            l.id(),
            l.scope(),
            l.pool(),
            l.format(),
            l.bindCidr(),
            l.expiresAt(),
            l.revokedAt(),
            l.createdBy(),
            l.createdAt(),
            l.downloads() + 1));
  }
}
