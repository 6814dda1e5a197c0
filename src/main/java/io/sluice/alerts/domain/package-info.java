/**
 * Alert domain, plain Java plus JSON-P: rules and their settings, the alert state machine ({@link
 * io.sluice.alerts.domain.AlertBook}), grouped notices and their text/HTML rendering, the outbox
 * logic ({@link io.sluice.alerts.domain.Outbox}), and the ports it needs: {@link
 * io.sluice.alerts.domain.AlertStore}, {@link io.sluice.alerts.domain.AlertTx}, {@link
 * io.sluice.alerts.domain.ChannelSender}. {@link io.sluice.alerts.domain.AlertSignal} is the hook
 * other features fire to raise or clear an alert.
 */
package io.sluice.alerts.domain;
