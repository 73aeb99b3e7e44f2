package dev.wharf.server.transport;

import dev.wharf.config.TransportConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The server's certificate chain and private key, read from PEM files or a PKCS#12 key store and checked to belong
 * together, as an in-memory key store for Jetty's SslContextFactory. Every failure is a {@link TlsException} whose
 * one-line message names the file and the setting; the key store password never appears in one.
 *
 * @param keyStore a key store holding one private key entry with its chain
 * @param password the password of that entry (random for PEM files)
 * @param leaf the server's own certificate
 */
public record TlsMaterial(KeyStore keyStore, String password, X509Certificate leaf) {
  private static final String ALIAS = "wharf";

  /** A certificate or key that cannot be used; the message is one line and names the file. */
  public static final class TlsException extends Exception {
    TlsException(String message) {
      super(message);
    }

    TlsException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Reads what {@code tls} names. */
  public static TlsMaterial load(TransportConfig.Tls tls) throws TlsException {
    if (tls.keyStore().isPresent()) {
      return fromKeyStore(tls.keyStore().get(), tls.keyStorePassword().orElse(""));
    }
    return fromPem(tls.certificate().orElseThrow(), tls.key().orElseThrow());
  }

  /** A PEM certificate chain (leaf first) and its private key (PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted). */
  public static TlsMaterial fromPem(Path certificateFile, Path keyFile) throws TlsException {
    List<X509Certificate> chain = new ArrayList<>();
    for (Object item : pemObjects(certificateFile, "tls-cert")) {
      if (item instanceof X509CertificateHolder holder) {
        try {
          chain.add(new JcaX509CertificateConverter().getCertificate(holder));
        } catch (GeneralSecurityException e) {
          throw new TlsException("tls-cert " + certificateFile + ": a certificate cannot be read: " + e.getMessage(), e);
        }
      }
    }
    if (chain.isEmpty()) {
      throw new TlsException("tls-cert " + certificateFile + " holds no PEM certificate (BEGIN CERTIFICATE)");
    }
    PrivateKey key = null;
    for (Object item : pemObjects(keyFile, "tls-key")) {
      PrivateKeyInfo info = switch (item) {
        case PEMKeyPair pair -> pair.getPrivateKeyInfo();
        case PrivateKeyInfo plain -> plain;
        case PKCS8EncryptedPrivateKeyInfo encrypted -> throw new TlsException("tls-key " + keyFile
            + " is encrypted: give an unencrypted key (e.g. openssl pkey -in KEY -out PLAIN.pem), or a PKCS#12"
            + " tls-keystore with its password");
        case PEMEncryptedKeyPair encrypted -> throw new TlsException("tls-key " + keyFile
            + " is encrypted: give an unencrypted key (e.g. openssl pkey -in KEY -out PLAIN.pem), or a PKCS#12"
            + " tls-keystore with its password");
        default -> null; // certificates beside the key, EC PARAMETERS
      };
      if (info != null) {
        if (key != null) {
          throw new TlsException("tls-key " + keyFile + " holds more than one private key");
        }
        try {
          key = new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException e) {
          throw new TlsException("tls-key " + keyFile + ": the private key cannot be read: " + oneLine(e), e);
        }
      }
    }
    if (key == null) {
      throw new TlsException("tls-key " + keyFile + " holds no PEM private key (BEGIN PRIVATE KEY, BEGIN RSA PRIVATE"
          + " KEY or BEGIN EC PRIVATE KEY)");
    }
    requireMatch(key, chain.getFirst(), "tls-key " + keyFile, "tls-key " + keyFile + " is not the key of the first certificate in tls-cert "
        + certificateFile);
    String password = randomPassword();
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, password.toCharArray(), chain.toArray(Certificate[]::new));
      return new TlsMaterial(store, password, chain.getFirst());
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException("tls-cert " + certificateFile + ": cannot be used with its key: " + oneLine(e), e);
    }
  }

  /** A PKCS#12 key store holding one private key with its chain. */
  public static TlsMaterial fromKeyStore(Path file, String password) throws TlsException {
    KeyStore store;
    try (InputStream in = Files.newInputStream(file)) {
      store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
    } catch (NoSuchFileException e) {
      throw new TlsException("tls-keystore " + file + " does not exist");
    } catch (IOException e) {
      // a wrong password shows as an IOException whose cause is an UnrecoverableKeyException
      if (e.getCause() instanceof java.security.UnrecoverableKeyException) {
        throw new TlsException("tls-keystore " + file + " cannot be opened with the password given"
            + " (tls-keystore-password, WHARF_TLS_KEYSTORE_PASSWORD)");
      }
      throw new TlsException("tls-keystore " + file + " is not a readable PKCS#12 key store: " + oneLine(e), e);
    } catch (GeneralSecurityException e) {
      throw new TlsException("tls-keystore " + file + " is not a readable PKCS#12 key store: " + oneLine(e), e);
    }
    try {
      List<String> keyAliases = new ArrayList<>();
      for (String alias : Collections.list(store.aliases())) {
        if (store.isKeyEntry(alias)) {
          keyAliases.add(alias);
        }
      }
      if (keyAliases.size() != 1) {
        throw new TlsException("tls-keystore " + file + " must hold exactly one private key with its certificate, holds "
            + keyAliases.size());
      }
      String alias = keyAliases.getFirst();
      PrivateKey key = (PrivateKey) store.getKey(alias, password.toCharArray());
      Certificate[] chain = store.getCertificateChain(alias);
      if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
        throw new TlsException("tls-keystore " + file + ": the private key has no X.509 certificate");
      }
      requireMatch(key, leaf, "tls-keystore " + file, "tls-keystore " + file + ": the private key is not the certificate's key");
      // only that entry, under a known alias, whatever else (trusted certificates) the file holds
      KeyStore only = KeyStore.getInstance("PKCS12");
      only.load(null, null);
      only.setKeyEntry(ALIAS, key, password.toCharArray(), chain);
      return new TlsMaterial(only, password, leaf);
    } catch (GeneralSecurityException | IOException e) {
      throw new TlsException("tls-keystore " + file + ": the private key cannot be read with the password given: "
          + oneLine(e), e);
    }
  }

  /** The certificate's subject and expiry, for the log. */
  public String describe() {
    return leaf.getSubjectX500Principal().getName() + " (serial " + leaf.getSerialNumber().toString(16) + ", valid until "
        + leaf.getNotAfter().toInstant() + ")";
  }

  private static List<Object> pemObjects(Path file, String setting) throws TlsException {
    List<Object> items = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object item;
      while ((item = parser.readObject()) != null) {
        items.add(item);
      }
    } catch (NoSuchFileException e) {
      throw new TlsException(setting + " " + file + " does not exist");
    } catch (java.nio.file.AccessDeniedException e) {
      throw new TlsException(setting + " " + file + " cannot be read (permission denied)");
    } catch (IOException | RuntimeException e) {
      throw new TlsException(setting + " " + file + " is not a readable PEM file: " + oneLine(e), e);
    }
    return items;
  }

  /** Signs a challenge with the key and checks it with the certificate: the one test that works for every key type. */
  private static void requireMatch(PrivateKey key, X509Certificate certificate, String source, String mismatch) throws TlsException {
    Optional<String> algorithm = switch (key.getAlgorithm()) {
      case "RSA" -> Optional.of("SHA256withRSA");
      case "EC" -> Optional.of("SHA256withECDSA");
      case "Ed25519", "EdDSA" -> Optional.of("Ed25519");
      case "Ed448" -> Optional.of("Ed448");
      default -> Optional.empty();
    };
    if (algorithm.isEmpty()) {
      throw new TlsException(source + ": unsupported key type " + key.getAlgorithm() + " (use RSA or EC)");
    }
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    try {
      Signature signer = Signature.getInstance(algorithm.get());
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm.get());
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(challenge);
      if (verifier.verify(signature)) {
        return;
      }
    } catch (GeneralSecurityException e) {
      // a key of another type than the certificate's: a mismatch too
    }
    throw new TlsException(mismatch);
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s+", " ").trim();
  }

  @Override
  public String toString() {
    return "TlsMaterial[" + describe() + "]";
  }
}
