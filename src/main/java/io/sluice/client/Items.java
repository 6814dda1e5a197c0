package io.sluice.client;

import java.util.List;

/** An unpaged list as the API sends it: {@code {"items": [...]}}. */
public record Items<T>(List<T> items) {}
