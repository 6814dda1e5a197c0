package io.sluice.alerts.domain;

import java.time.Instant;
import java.util.List;

/** The certificates the HTTPS port serves. */
public interface CertificateSource {

  /** A served certificate: its key alias, subject and end of validity. */
  record Served(String alias, String subject, Instant notAfter) {}

  /** The certificates, empty when there is no keystore yet; throws when it cannot be read. */
  List<Served> served() throws Exception;
}
