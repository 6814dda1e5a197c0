package io.sluice.client;

import java.util.List;

/** One page of a paged list: {@code items}, the {@code page} number from 0, its size, the total. */
public record Page<T>(List<T> items, Integer page, Integer size, Long total) {}
