package io.sluice.alerts.domain;

import java.time.Duration;

/**
 * A rule's settings.
 *
 * @param threshold the rule's number (a percentage, a count, minutes or days; see {@link Rules})
 * @param forDuration how long the condition must hold before the alert fires (zero: at once)
 * @param repeat how often a notice is sent again while the alert fires (zero: never)
 * @param severity {@code critical}, {@code warning} or {@code info}
 */
public record RuleSettings(
    String rule,
    boolean enabled,
    double threshold,
    Duration forDuration,
    Duration repeat,
    String severity) {}
