package dev.wharf.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A private certificate authority made at test time, and server certificates it signs for localhost and
 * 127.0.0.1, written as the files an operator would have: a PEM chain, a PEM key (PKCS#8 or PKCS#1), a PKCS#12 key
 * store, and for clients the CA as PEM and as a PKCS#12 trust store.
 */
public final class TestingCertificates {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final Path directory;

  private TestingCertificates(Path directory, KeyPair caKeys, X509Certificate ca) {
    this.directory = directory;
    this.caKeys = caKeys;
    this.ca = ca;
  }

  /** A new CA whose files go under {@code directory}. */
  public static TestingCertificates authority(Path directory) {
    try {
      Files.createDirectories(directory);
      KeyPair keys = ecKeys();
      X500Name name = new X500Name("CN=Wharf Test CA " + RANDOM.nextInt(1_000_000));
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name, keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      TestingCertificates authority = new TestingCertificates(directory, keys, certificate);
      Files.writeString(authority.caFile(), pem(certificate));
      return authority;
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a test CA", e);
    }
  }

  /** The CA certificate, PEM (aws --ca-bundle, npm cafile, pip --cert, curl --cacert). */
  public Path caFile() {
    return directory.resolve("ca.pem");
  }

  /** A PKCS#12 trust store holding the CA, password "changeit" (Maven's -Djavax.net.ssl.trustStore). */
  public Path trustStore() {
    Path file = directory.resolve("truststore.p12");
    if (!Files.exists(file)) {
      try (OutputStream out = Files.newOutputStream(file)) {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("wharf-test-ca", ca);
        store.store(out, "changeit".toCharArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return file;
  }

  /** An SSL context that trusts only this CA (Java clients). */
  public SSLContext sslContext() {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustKeyStore());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), RANDOM);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The trust managers of {@link #sslContext()}, for the AWS SDK's HTTP client. */
  public javax.net.ssl.TrustManager[] trustManagers() {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trustKeyStore());
      return trust.getTrustManagers();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private KeyStore trustKeyStore() throws GeneralSecurityException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("ca", ca);
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Which private key encoding a server's key file uses. */
  public enum KeyFormat { PKCS8_RSA, PKCS1_RSA, EC }

  /** A server certificate's files: the chain (server certificate, then the CA) and the key. */
  public record Server(X509Certificate certificate, Path chainFile, Path keyFile, Path keyStoreFile,
      String keyStorePassword) {
    public BigInteger serial() {
      return certificate.getSerialNumber();
    }
  }

  /** A new server certificate for localhost and 127.0.0.1, its files named after {@code name}. */
  public Server server(String name, KeyFormat format) {
    try {
      KeyPair keys = format == KeyFormat.EC ? ecKeys() : rsaKeys();
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca, serial(),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
          new X500Name("CN=localhost"), keys.getPublic());
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
      Path chain = directory.resolve(name + ".pem");
      Path key = directory.resolve(name + ".key");
      Files.writeString(chain, pem(certificate) + pem(ca));
      Files.writeString(key, switch (format) {
        case PKCS1_RSA -> pem(keys.getPrivate()); // JcaPEMWriter writes BEGIN RSA PRIVATE KEY
        case EC -> sec1(keys.getPrivate());
        case PKCS8_RSA -> pem(new JcaPKCS8Generator(keys.getPrivate(), null));
      });
      Path keyStore = directory.resolve(name + ".p12");
      String password = "p12-" + RANDOM.nextInt(1_000_000);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", keys.getPrivate(), password.toCharArray(), new Certificate[] {certificate, ca});
      try (OutputStream out = Files.newOutputStream(keyStore)) {
        store.store(out, password.toCharArray());
      }
      return new Server(certificate, chain, key, keyStore, password);
    } catch (Exception e) {
      throw new IllegalStateException("cannot make a server certificate", e);
    }
  }

  /** Replaces {@code target} with {@code source}'s content the way renewals do: a new file moved over it. */
  public static void replace(Path source, Path target) {
    try {
      Path temporary = target.resolveSibling(target.getFileName() + ".new");
      Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** BEGIN EC PRIVATE KEY with the curve named inside, as openssl ecparam -genkey writes it. */
  private static String sec1(java.security.PrivateKey key) throws IOException {
    org.bouncycastle.asn1.pkcs.PrivateKeyInfo info = org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(key.getEncoded());
    org.bouncycastle.asn1.sec.ECPrivateKey inner = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
    org.bouncycastle.asn1.sec.ECPrivateKey named = new org.bouncycastle.asn1.sec.ECPrivateKey(256, inner.getKey(),
        inner.getPublicKey(), info.getPrivateKeyAlgorithm().getParameters());
    return pem(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", named.getEncoded()));
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static KeyPair rsaKeys() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static String pem(Object object) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }
}
