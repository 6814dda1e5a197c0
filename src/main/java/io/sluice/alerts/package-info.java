/**
 * Alerts (docs/alerts.md): built-in rules fed by CDI events of other features ({@code
 * admin.domain.SecurityEvent}, {@code tunnels.domain.TunnelAgentEvent}, {@code
 * exits.domain.DedicatedReassigned}, the generic {@link io.sluice.alerts.domain.AlertSignal}) and
 * by a periodic evaluation (pools, exits, the HTTPS certificate, the database); channels (email,
 * Telegram, Alertmanager-style webhook) with write-only secrets; an outbox in the database written
 * in the same transaction as each alert's state change and sent by one node. Layers: {@code api}
 * (resources), {@code app} (CDI services, schedules, event observers), {@code domain} (rules, alert
 * state machine, notices, outbox logic, repository and sender ports), {@code infra} (SQL store,
 * channel senders, keystore reader).
 */
package io.sluice.alerts;
