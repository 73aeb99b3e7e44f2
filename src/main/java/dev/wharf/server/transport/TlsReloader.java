package dev.wharf.server.transport;

import dev.wharf.config.TransportConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a renewed certificate without a restart: each {@link #check()} reads the certificate and key files (or the
 * key store) and, when their content changed, loads them and swaps them into the running SslContextFactory. New
 * connections get the new certificate; open ones keep theirs. Contents, not modification times, are compared, so
 * renewals that swap a symbolic link (Kubernetes secrets, cert-manager) or keep the time are seen too.
 *
 * <p>A renewal writes two files one after the other: a certificate that does not yet match its key is not an
 * error but a half-done change. It is logged, the old certificate stays in service, and the next check tries again
 * once the files change once more.
 */
public final class TlsReloader {
  private static final Logger LOG = LoggerFactory.getLogger(TlsReloader.class);

  private final TransportConfig.Tls tls;
  private final SslContextFactory.Server factory;
  private byte[] loaded;
  private byte[] refused;

  /** Watches what {@code tls} names; {@code initial} is what {@code factory} serves now. */
  public TlsReloader(TransportConfig.Tls tls, SslContextFactory.Server factory) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.factory = Objects.requireNonNull(factory, "factory");
    this.loaded = fingerprint();
  }

  /** Reloads when the files changed since the last load; returns whether it did. */
  public synchronized boolean check() {
    byte[] now = fingerprint();
    if (now == null || Arrays.equals(now, loaded) || Arrays.equals(now, refused)) {
      return false;
    }
    TlsMaterial material;
    try {
      material = TlsMaterial.load(tls);
    } catch (TlsMaterial.TlsException e) {
      refused = now;
      LOG.warn("TLS certificate not reloaded, the current one stays in service: {}", e.getMessage());
      return false;
    }
    try {
      factory.reload(reloading -> {
        reloading.setKeyStore(material.keyStore());
        reloading.setKeyStorePassword(material.password());
        reloading.setKeyManagerPassword(material.password());
      });
    } catch (Exception e) {
      refused = now;
      LOG.warn("TLS certificate not reloaded, the current one stays in service: {}", e.toString());
      return false;
    }
    loaded = now;
    refused = null;
    LOG.info("TLS certificate reloaded: {}", material.describe());
    return true;
  }

  /** A digest of the watched files' contents, or null when one cannot be read right now (mid-replacement). */
  private byte[] fingerprint() {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (Path file : tls.files()) {
        byte[] content = Files.readAllBytes(file);
        digest.update(Long.toString(content.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        digest.update((byte) 0);
        digest.update(content);
      }
      return digest.digest();
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
