package io.sluice.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A throw-away certificate authority for tests, made at test time with bcprov's ASN.1 classes only
 * (no bcpkix): EC P-256 keys, certificates signed {@code SHA256withECDSA}. {@link #issue} makes a
 * server certificate for the given DNS names and IP addresses, {@link Issued#sslContext()} a server
 * {@link SSLContext} with it, {@link #pem()} the CA certificate as a PEM bundle.
 */
public final class TestCa {

  private static final AlgorithmIdentifier ECDSA_SHA256 =
      new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);

  private final KeyPair keys;
  private final X500Name name;
  private final X509Certificate certificate;

  /** A server certificate and its key, issued by a {@link TestCa}. */
  public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate ca) {

    /** A TLS server context presenting this certificate (with the CA in the chain). */
    public SSLContext sslContext() {
      try {
        char[] pw = "test".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, pw, new java.security.cert.Certificate[] {certificate, ca});
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pw);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, new SecureRandom());
        return ctx;
      } catch (GeneralSecurityException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public TestCa(String commonName) {
    try {
      keys = newKeys();
      name = new X500Name("CN=" + commonName);
      ExtensionsGenerator ext = new ExtensionsGenerator();
      ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      ext.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      certificate =
          sign(name, keys.getPublic().getEncoded(), ext, Duration.ofDays(1), Duration.ZERO);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The CA certificate in PEM. */
  public String pem() {
    return pem(certificate);
  }

  /** A server certificate valid now for {@code names}: IP literals become IP SANs, others DNS. */
  public Issued issue(String... names) {
    return issue(Duration.ofDays(1), Duration.ZERO, names);
  }

  /** A server certificate that expired an hour ago. */
  public Issued issueExpired(String... names) {
    return issue(Duration.ofHours(1), Duration.ofHours(2), names);
  }

  private Issued issue(Duration validity, Duration backdate, String... names) {
    try {
      KeyPair server = newKeys();
      List<GeneralName> sans = new ArrayList<>();
      for (String n : names) {
        boolean ip = n.chars().allMatch(c -> Character.isDigit(c) || c == '.') || n.contains(":");
        sans.add(
            ip
                ? new GeneralName(
                    GeneralName.iPAddress,
                    new DEROctetString(InetAddress.getByName(n).getAddress()))
                : new GeneralName(GeneralName.dNSName, n));
      }
      ExtensionsGenerator ext = new ExtensionsGenerator();
      ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      ext.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      ext.addExtension(
          Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      ext.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(sans.toArray(GeneralName[]::new)));
      X509Certificate cert =
          sign(
              new X500Name("CN=" + names[0]),
              server.getPublic().getEncoded(),
              ext,
              validity,
              backdate);
      return new Issued(cert, server.getPrivate(), certificate);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs a certificate for {@code subject} with this CA's key (self-signed while building it). */
  private X509Certificate sign(
      X500Name subject,
      byte[] publicKey,
      ExtensionsGenerator ext,
      Duration validFor,
      Duration backdate)
      throws GeneralSecurityException, IOException {
    Instant now = Instant.now().minus(backdate);
    V3TBSCertificateGenerator g = new V3TBSCertificateGenerator();
    g.setSerialNumber(
        new ASN1Integer(new BigInteger(64, new SecureRandom()).abs().add(BigInteger.ONE)));
    g.setSignature(ECDSA_SHA256);
    g.setIssuer(name);
    g.setSubject(subject);
    g.setStartDate(new Time(Date.from(now.minus(Duration.ofMinutes(5)))));
    g.setEndDate(new Time(Date.from(now.plus(validFor))));
    g.setSubjectPublicKeyInfo(SubjectPublicKeyInfo.getInstance(publicKey));
    g.setExtensions(ext.generate());
    TBSCertificate tbs = g.generateTBSCertificate();
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(keys.getPrivate());
    s.update(tbs.getEncoded(ASN1Encoding.DER));
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(tbs);
    v.add(ECDSA_SHA256);
    v.add(new DERBitString(s.sign()));
    byte[] der = new DERSequence(v).getEncoded(ASN1Encoding.DER);
    return (X509Certificate)
        CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static KeyPair newKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  /** {@code cert} in PEM. */
  public static String pem(X509Certificate cert) {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(cert.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}
