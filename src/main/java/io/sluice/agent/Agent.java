package io.sluice.agent;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The reconnect loop: one {@link TunnelConnection} at a time, forever, with exponential backoff and
 * full jitter between attempts (reset after a HELLO_OK). Authentication failures are retried too:
 * an admin may re-enable the agent. One log line per connect and per disconnect.
 */
public final class Agent {

  private final AgentOptions options;
  private final AgentLog log;
  private final TargetConnector connector;
  private final HttpClient client;
  private final String softwareVersion;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile TunnelConnection current;

  /**
   * @throws IOException if {@code --ca-file} cannot be read
   * @throws GeneralSecurityException if it holds no usable certificate
   */
  public Agent(
      AgentOptions options, AgentLog log, AllowList.Resolver resolver, String softwareVersion)
      throws IOException, GeneralSecurityException {
    this.options = options;
    this.log = log;
    this.softwareVersion = softwareVersion;
    this.connector = new TargetConnector(options.allowList(), resolver, options.connectTimeout());
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(options.connectTimeout());
    if (options.caFile() != null) {
      b.sslContext(CaTrust.fromPem(options.caFile()));
    }
    this.client = b.build();
  }

  /** With the system resolver. */
  public Agent(AgentOptions options, AgentLog log, String softwareVersion)
      throws IOException, GeneralSecurityException {
    this(options, log, InetAddress::getAllByName, softwareVersion);
  }

  /** Runs until {@link #stop}. */
  public void run() throws InterruptedException {
    if (options.allowList().isEmpty()) {
      log.info("warning: the allow list is empty, every target will be refused (use --allow)");
    }
    Backoff backoff =
        new Backoff(
            options.reconnectMin(),
            options.reconnectMax(),
            () -> ThreadLocalRandom.current().nextDouble());
    while (stopped.getCount() > 0) {
      TunnelConnection c = new TunnelConnection(options, client, connector, log, softwareVersion);
      current = c;
      if (stopped.getCount() == 0) {
        break;
      }
      TunnelConnection.Outcome out = c.run();
      if (stopped.getCount() == 0) {
        log.info("stopped");
        break;
      }
      if (out.authenticated()) {
        backoff.reset();
      }
      Duration delay = backoff.next();
      String retry = "; retrying in " + Durations.format(delay);
      if (out.opened()) {
        log.info("disconnected: " + out.reason() + retry);
      } else {
        log.info("cannot connect to " + options.server() + ": " + out.reason() + retry);
      }
      if (stopped.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
        break;
      }
    }
  }

  /** Ends {@link #run}: closes the current connection and every stream. */
  public void stop() {
    stopped.countDown();
    TunnelConnection c = current;
    if (c != null) {
      c.shutdown();
    }
  }
}
