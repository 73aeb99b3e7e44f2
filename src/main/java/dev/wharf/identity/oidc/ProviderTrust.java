package dev.wharf.identity.oidc;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How Wharf trusts an issuer's TLS certificate, as IAM does: the system trust store first, else one
 * of the provider's registered thumbprints (SHA-1, hex) matching the top certificate of the chain the
 * issuer presents. A pinned certificate becomes the chain's trust anchor, so the chain is still
 * validated up to it and the host name is still checked against the certificate.
 */
final class ProviderTrust extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager system;
  private final Set<String> thumbprints;

  private ProviderTrust(X509ExtendedTrustManager system, List<String> thumbprints) {
    this.system = system;
    this.thumbprints = Set.copyOf(thumbprints.stream().map(t -> t.toLowerCase(Locale.ROOT)).toList());
  }

  /** A TLS context that trusts what the system trusts and what the thumbprints pin. */
  static SSLContext context(List<String> thumbprints) throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, new TrustManager[] {new ProviderTrust(trustManager(null), thumbprints)}, null);
    return context;
  }

  /** The SHA-1 thumbprint IAM registers for a certificate: lower-case hex of its DER encoding. */
  static String thumbprint(X509Certificate certificate) throws CertificateException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
  }

  private static X509ExtendedTrustManager trustManager(KeyStore anchors) throws GeneralSecurityException {
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(anchors);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager extended) {
        return extended;
      }
    }
    throw new GeneralSecurityException("no X509ExtendedTrustManager in " + factory.getAlgorithm());
  }

  private X509ExtendedTrustManager pinned(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the issuer presented no certificate");
    }
    X509Certificate top = chain[chain.length - 1];
    if (!thumbprints.contains(thumbprint(top))) {
      throw new CertificateException("the issuer's certificate is not trusted by the system trust store and its"
          + " thumbprint " + thumbprint(top) + " is not registered with the OIDC provider");
    }
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      anchors.setCertificateEntry("pinned", top);
      return trustManager(anchors);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new CertificateException("the pinned certificate cannot be used as a trust anchor", e);
    }
  }

  /** One of the trust manager's server checks, whichever the connection (engine or socket) calls. */
  @FunctionalInterface
  private interface ServerCheck {
    void run(X509ExtendedTrustManager manager) throws CertificateException;
  }

  /** The system trust store first; only when it refuses the chain, the pinned top certificate. */
  private void systemElsePinned(X509Certificate[] chain, ServerCheck check) throws CertificateException {
    try {
      check.run(system);
    } catch (CertificateException untrusted) {
      check.run(pinned(chain));
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    systemElsePinned(chain, manager -> manager.checkServerTrusted(chain, authType, engine));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    systemElsePinned(chain, manager -> manager.checkServerTrusted(chain, authType, socket));
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("an issuer's certificate is checked with its host name only");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
    throw new CertificateException("Wharf is never the server here");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
    throw new CertificateException("Wharf is never the server here");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("Wharf is never the server here");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return system.getAcceptedIssuers();
  }
}
