package io.sluice.exits.infra;

import io.sluice.engine.probe.ProbeClient;
import io.sluice.exits.domain.ExitProber;
import io.sluice.exits.domain.ProbeResult;
import io.sluice.exits.domain.ProbeTarget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@link ExitProber} the health service injects: an {@link ExitProbe} on the proxy engine's own
 * event loops and connectors, so a check takes the path user traffic takes. The gateway fires the
 * engine's {@link ProbeClient} as a CDI event when the engine has started; until then {@link
 * #ready()} is false. The deadline is {@code sluice.exits.check-timeout-seconds} (default 10, at
 * least 1).
 *
 * <p>Trust of {@code https} echo URLs: the JVM's default trust store plus the CA certificates of
 * the PEM bundle {@code sluice.exits.check-ca-file} (optional), read each time the engine starts;
 * the engine's client is wrapped with {@link ProbeClient#withTrust}. A bundle that cannot be read
 * or holds no certificate is logged ({@code SLUICE0620E}) and checks trust the JVM's store only.
 */
@ApplicationScoped
public class ExitProbes implements ExitProber {

  private static final Logger LOG = System.getLogger(ExitProbes.class.getName());

  @Inject
  @ConfigProperty(name = "sluice.exits.check-timeout-seconds", defaultValue = "10")
  int timeoutSeconds;

  @Inject
  @ConfigProperty(name = "sluice.exits.check-ca-file")
  Optional<String> caFile;

  private volatile ExitProbe probe;

  void engineStarted(@Observes ProbeClient client) {
    probe = new ExitProbe(Duration.ofSeconds(Math.max(1, timeoutSeconds)), trusting(client));
  }

  /** {@code client}, or a client on it that also trusts the CA bundle when one is configured. */
  ProbeClient trusting(ProbeClient client) {
    String file = caFile.map(String::strip).filter(f -> !f.isEmpty()).orElse(null);
    if (file == null) {
      return client;
    }
    try {
      List<X509Certificate> cas = readPem(Path.of(file));
      ProbeClient trusting = client.withTrust(cas);
      LOG.log(
          Level.INFO,
          "SLUICE0621I: exit checks trust {0} CA certificate(s) from {1}"
              + " besides the JVM trust store",
          cas.size(),
          file);
      return trusting;
    } catch (IOException | CertificateException | RuntimeException e) {
      LOG.log(
          Level.ERROR,
          "SLUICE0620E: cannot use the exit check CA file {0} (sluice.exits.check-ca-file): {1};"
              + " https checks trust the JVM trust store only",
          file,
          e.getMessage());
      return client;
    }
  }

  /**
   * The X.509 certificates of a PEM (or DER) bundle.
   *
   * @throws CertificateException when it holds none or one cannot be parsed
   */
  static List<X509Certificate> readPem(Path file) throws IOException, CertificateException {
    List<X509Certificate> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        if (c instanceof X509Certificate x) {
          out.add(x);
        }
      }
    }
    if (out.isEmpty()) {
      throw new CertificateException("no certificate in the file");
    }
    return List.copyOf(out);
  }

  @Override
  public boolean ready() {
    return probe != null;
  }

  @Override
  public ProbeResult probe(ProbeTarget exit, URI echoUrl) {
    ExitProbe p = probe;
    if (p == null) {
      return new ProbeResult(false, false, null, 0, 0, "proxy engine not running");
    }
    return p.probe(exit, echoUrl);
  }

  @Override
  public java.util.concurrent.CompletableFuture<ProbeResult> probeAsync(
      ProbeTarget exit, URI echoUrl) {
    ExitProbe p = probe;
    if (p == null) {
      return java.util.concurrent.CompletableFuture.completedFuture(
          new ProbeResult(false, false, null, 0, 0, "proxy engine not running"));
    }
    return p.probeAsync(exit, echoUrl);
  }
}
