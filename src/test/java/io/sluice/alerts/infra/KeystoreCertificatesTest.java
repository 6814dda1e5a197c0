package io.sluice.alerts.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.alerts.domain.CertificateSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads a real PKCS12 keystore made by the JDK's keytool, as Liberty's key.p12 is. */
class KeystoreCertificatesTest {

  @TempDir Path dir;

  private Path keystore(int validityDays) throws Exception {
    Path file = dir.resolve("key.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "default",
                "-keyalg",
                "EC",
                "-dname",
                "CN=sluice.example.test",
                "-validity",
                Integer.toString(validityDays),
                "-storetype",
                "PKCS12",
                "-keystore",
                file.toString(),
                "-storepass",
                "sluice-keystore")
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    return file;
  }

  @Test
  void readsTheKeyEntrysCertificateAndItsEnd() throws Exception {
    Path file = keystore(10);
    List<CertificateSource.Served> certs =
        KeystoreCertificates.read(file, "sluice-keystore".toCharArray());
    assertThat(certs).hasSize(1);
    CertificateSource.Served c = certs.get(0);
    assertThat(c.alias()).isEqualTo("default");
    assertThat(c.subject()).isEqualTo("CN=sluice.example.test");
    assertThat(Duration.between(Instant.now(), c.notAfter()).toDays()).isBetween(9L, 10L);
  }

  @Test
  void noFileIsNoCertificateAndAWrongPasswordIsAnError() throws Exception {
    assertThat(KeystoreCertificates.read(dir.resolve("none.p12"), new char[0])).isEmpty();
    Path file = keystore(400);
    assertThat(Files.exists(file)).isTrue();
    assertThatThrownBy(() -> KeystoreCertificates.read(file, "wrong".toCharArray()))
        .isInstanceOf(java.io.IOException.class);
  }

  @Test
  void theListIsReadAgainOnlyWhenTheFileChanged() throws Exception {
    KeystoreCertificates source = new KeystoreCertificates();
    source.file = dir.resolve("key.p12").toString();
    source.password = "sluice-keystore";
    assertThat(source.served()).isEmpty();

    Path file = keystore(10);
    List<CertificateSource.Served> first = source.served();
    assertThat(first).hasSize(1);
    assertThat(source.served()).as("unchanged file: the same list").isSameAs(first);

    // a renewed certificate: a new file in its place
    Files.delete(file);
    keystore(400);
    Files.setLastModifiedTime(
        file, java.nio.file.attribute.FileTime.from(Instant.now().plusSeconds(5)));
    List<CertificateSource.Served> renewed = source.served();
    assertThat(renewed).isNotSameAs(first).hasSize(1);
    assertThat(Duration.between(Instant.now(), renewed.get(0).notAfter()).toDays())
        .isBetween(399L, 400L);

    Files.delete(file);
    assertThat(source.served()).isEmpty();
  }
}
