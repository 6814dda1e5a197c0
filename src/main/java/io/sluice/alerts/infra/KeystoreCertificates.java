package io.sluice.alerts.infra;

import io.sluice.alerts.domain.CertificateSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The key entries' leaf certificates of the keystore Liberty serves HTTPS with: {@code
 * sluice.alerts.keystore} (server.xml defaults it to {@code
 * ${server.output.dir}/resources/security/key.p12}, Liberty's {@code defaultKeyStore}) opened with
 * {@code sluice.alerts.keystore-password} (default: the keystore password variable). PKCS12, or JKS
 * for a {@code .jks} file.
 *
 * <p>The alert evaluator asks every round (5 s by default); opening a PKCS12 file derives its keys
 * from the password (10,000 rounds of a hash), so the list is kept and read again only when the
 * file's modification time or size changed (a renewed certificate is a new file).
 */
@ApplicationScoped
public class KeystoreCertificates implements CertificateSource {

  @Inject
  @ConfigProperty(name = "sluice.alerts.keystore", defaultValue = "resources/security/key.p12")
  String file;

  @Inject
  @ConfigProperty(name = "sluice.alerts.keystore-password", defaultValue = "sluice-keystore")
  String password;

  private record Loaded(Path file, FileTime modified, long size, List<Served> certificates) {}

  private volatile Loaded loaded;

  @Override
  public List<Served> served() throws IOException, GeneralSecurityException {
    Path path = Path.of(file);
    BasicFileAttributes now;
    try {
      now = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      loaded = null;
      return List.of();
    }
    Loaded l = loaded;
    if (l != null
        && l.file().equals(path)
        && l.modified().equals(now.lastModifiedTime())
        && l.size() == now.size()) {
      return l.certificates();
    }
    List<Served> certificates = List.copyOf(read(path, password.toCharArray()));
    loaded = new Loaded(path, now.lastModifiedTime(), now.size(), certificates);
    return certificates;
  }

  /** The leaf certificates of a keystore's key entries; empty when the file does not exist. */
  public static List<Served> read(Path file, char[] password)
      throws IOException, GeneralSecurityException {
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    KeyStore ks = KeyStore.getInstance(file.toString().endsWith(".jks") ? "JKS" : "PKCS12");
    try (InputStream in = Files.newInputStream(file)) {
      ks.load(in, password);
    }
    List<Served> out = new ArrayList<>();
    for (String alias : Collections.list(ks.aliases())) {
      if (ks.isKeyEntry(alias) && ks.getCertificate(alias) instanceof X509Certificate x) {
        out.add(
            new Served(alias, x.getSubjectX500Principal().getName(), x.getNotAfter().toInstant()));
      }
    }
    return out;
  }
}
