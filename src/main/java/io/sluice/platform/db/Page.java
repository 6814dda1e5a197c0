package io.sluice.platform.db;

import java.util.List;

/** One page of a list: 0-based page number, page size and the total number of items. */
public record Page<T>(List<T> items, int page, int size, long total) {}
