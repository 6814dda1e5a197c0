package io.sluice.alerts.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.alerts.domain.AlertItem;
import io.sluice.alerts.domain.Channel;
import io.sluice.alerts.domain.DeliveryFailure;
import io.sluice.alerts.domain.Notice;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The email sender against a real SMTP server (aiosmtpd) and against one that never answers. */
class EmailSenderTest {

  static Channel channel(int port, String tls) {
    Map<String, Object> config = new HashMap<>();
    config.put("host", "127.0.0.1");
    config.put("port", (long) port);
    config.put("tls", tls);
    config.put("from", "sluice@example.test");
    config.put("to", List.of("ops@example.test", "oncall@example.test"));
    return new Channel(1, "mail", "email", true, config, Map.of());
  }

  static Notice notice() {
    return new Notice(
        "brute-force",
        List.of(
            new AlertItem(
                5,
                "brute-force",
                "127.0.0.20",
                "firing",
                "critical",
                "6 failed admin logins <from> 127.0.0.20",
                Map.of(),
                Instant.parse("2026-01-01T00:00:00Z"),
                null),
            new AlertItem(
                6,
                "brute-force",
                "127.0.0.21",
                "resolved",
                "critical",
                "quiet again",
                Map.of(),
                Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:10:00Z"))),
        false);
  }

  @Test
  @Timeout(60)
  void aRealSmtpServerReceivesTextAndHtmlParts() throws Exception {
    try (SmtpServer smtp = SmtpServer.start()) {
      new EmailSender(Duration.ofSeconds(5)).send(channel(smtp.port(), "none"), notice());
      List<String> mails = smtp.messages();
      assertThat(mails).hasSize(1);
      String m = mails.get(0);
      assertThat(m)
          .contains("Subject: Sluice [FIRING:1] brute-force")
          .contains("From: sluice@example.test")
          .contains("ops@example.test")
          .contains("oncall@example.test")
          .contains("multipart/alternative")
          .contains("text/plain")
          .contains("text/html")
          .contains("6 failed admin logins <from> 127.0.0.20") // text part, as is
          .contains("6 failed admin logins &lt;from&gt; 127.0.0.20") // HTML part, escaped
          .contains("Resolved");
    }
  }

  @Test
  @Timeout(60)
  void starttlsIsRequiredAndVerifiesTheServer(@TempDir Path dir) throws Exception {
    TestCertificate cert = TestCertificate.create(dir);
    try (SmtpServer tls =
            SmtpServer.start(
                List.of(
                    "--tlscert", cert.certPem().toString(), "--tlskey", cert.keyPem().toString()));
        SmtpServer plain = SmtpServer.start()) {
      javax.net.ssl.SSLSocketFactory trustingFactory = cert.trustingSocketFactory();
      EmailSender trusting =
          new EmailSender(Duration.ofSeconds(5)) {
            @Override
            public Properties properties(Channel c) {
              Properties p = super.properties(c);
              p.put("mail.smtp.ssl.socketFactory", trustingFactory);
              return p;
            }
          };
      // aiosmtpd with a certificate refuses MAIL before STARTTLS: delivered means TLS was used
      trusting.send(channel(tls.port(), "starttls"), notice());
      assertThat(tls.messages()).hasSize(1);
      assertThat(tls.messages().get(0)).contains("Subject: Sluice [FIRING:1] brute-force");

      // not trusted (the JVM's CAs only): refused, nothing delivered
      DeliveryFailure untrusted =
          catchThrowableOfType(
              DeliveryFailure.class,
              () ->
                  new EmailSender(Duration.ofSeconds(3))
                      .send(channel(tls.port(), "starttls"), notice()));
      assertThat(untrusted.getMessage()).containsIgnoringCase("ssl");
      assertThat(tls.messages()).hasSize(1);

      // a server without STARTTLS: not sent in clear text
      DeliveryFailure noTls =
          catchThrowableOfType(
              DeliveryFailure.class,
              () -> trusting.send(channel(plain.port(), "starttls"), notice()));
      assertThat(noTls.getMessage()).containsIgnoringCase("STARTTLS");
      assertThat(plain.messages()).isEmpty();
    }
  }

  @Test
  void everyTimeoutIsSetForEachTlsMode() {
    EmailSender s = new EmailSender(Duration.ofSeconds(7));
    for (String tls : List.of("none", "starttls", "tls")) {
      Properties p = s.properties(channel(25, tls));
      String proto = "tls".equals(tls) ? "smtps" : "smtp";
      assertThat(p.getProperty("mail." + proto + ".connectiontimeout")).isEqualTo("7000");
      assertThat(p.getProperty("mail." + proto + ".timeout")).isEqualTo("7000");
      assertThat(p.getProperty("mail." + proto + ".writetimeout")).isEqualTo("7000");
    }
    assertThat(s.properties(channel(25, "starttls")).getProperty("mail.smtp.starttls.required"))
        .isEqualTo("true");
    assertThat(s.properties(channel(25, "tls")).getProperty("mail.transport.protocol"))
        .isEqualTo("smtps");
  }

  @Test
  @Timeout(30)
  void aServerThatAcceptsAndNeverAnswersTimesOut() throws Exception {
    List<Socket> held = new ArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          Thread.ofVirtual()
              .start(() -> {
                try {
                  while (true) {
                    held.add(silent.accept()); // accepted, never a greeting
                  }
                } catch (java.io.IOException closed) {
                  // the test is over
                }
              });
      long t0 = System.nanoTime();
      DeliveryFailure f =
          catchThrowableOfType(
              DeliveryFailure.class,
              () ->
                  new EmailSender(Duration.ofSeconds(2))
                      .send(channel(silent.getLocalPort(), "none"), notice()));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(f.retryable()).isTrue();
      assertThat(f.getMessage()).containsIgnoringCase("timed out");
      assertThat(ms).isBetween(1_500L, 10_000L);
      silent.close();
      acceptor.join(5_000);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  @Test
  void aRefusedConnectionIsRetryable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    DeliveryFailure f =
        catchThrowableOfType(
            DeliveryFailure.class,
            () -> new EmailSender(Duration.ofSeconds(2)).send(channel(port, "none"), notice()));
    assertThat(f.retryable()).isTrue();
  }
}
