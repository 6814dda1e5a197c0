/**
 * A small client of Tor's control protocol (control-spec.txt, "TC: A Tor control protocol"): reply
 * parsing ({@link io.sluice.tor.infra.control.ReplyParser}, section 2.3 "Replies" and 2.1 "data"
 * bodies), argument quoting that cannot start a second command ({@link
 * io.sluice.tor.infra.control.ControlArgs}), one connection with a reader thread ({@link
 * io.sluice.tor.infra.control.TorControlConnection}) whose asynchronous {@code 650} events go to a
 * listener. The JDK only.
 */
package io.sluice.tor.infra.control;
