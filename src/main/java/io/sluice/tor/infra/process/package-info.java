/**
 * Running tor processes: the torrc of a node ({@link io.sluice.tor.infra.process.Torrc}), starting
 * and stopping the process ({@link io.sluice.tor.infra.process.TorProcess}), and the supervisor
 * that keeps one node alive ({@link io.sluice.tor.infra.process.NodeSupervisor}): readiness from
 * the control port, restarts with backoff, NEWNYM driven by events; its control-port side ({@link
 * io.sluice.tor.infra.process.NodeControl}: the connections, rotations, pins). The JDK and {@code
 * tor.infra.control}.
 */
package io.sluice.tor.infra.process;
