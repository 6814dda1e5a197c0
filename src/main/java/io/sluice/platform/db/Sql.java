package io.sluice.platform.db;

import java.util.List;

/**
 * The little SQL the features that keep their own tables on plain statements need (VM address
 * pools, alerts): rows of a query and the count of an update, with positional parameters ({@code
 * Long}, {@code Integer}, {@code String}, {@code Instant}; never null). Implemented on JPA native
 * queries in the server ({@link EmSql}) and on a JDBC connection in tests and benchmarks ({@link
 * JdbcSql}), so both run the same statements.
 */
public interface Sql {

  /** The rows of a query, each as its column values. */
  List<Object[]> rows(String sql, Object... params);

  /** Runs an INSERT, UPDATE or DELETE; returns the row count. */
  int update(String sql, Object... params);
}
