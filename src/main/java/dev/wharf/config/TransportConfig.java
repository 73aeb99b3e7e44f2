package dev.wharf.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the server listens: TLS, the redirecting plain-HTTP port, the proxies trusted to name the caller, and the
 * connection limits. Part of {@link WharfConfig}, validated with it.
 *
 * @param tls the certificate and key to serve HTTPS with; empty: plain HTTP
 * @param httpRedirectPort a plain-HTTP port that only answers 308 redirects to the HTTPS URL (TLS only)
 * @param trustedProxies CIDR blocks (or single addresses) whose X-Forwarded-For and X-Forwarded-Proto count
 * @param idleTimeout a connection that sends and receives nothing for this long is closed
 * @param requestHeaderTimeout a request whose line and headers take longer than this to arrive is cut off
 * @param maxRequestHeaderBytes larger request lines and headers get 431
 */
public record TransportConfig(
    Optional<Tls> tls,
    Optional<Integer> httpRedirectPort,
    List<String> trustedProxies,
    Duration idleTimeout,
    Duration requestHeaderTimeout,
    int maxRequestHeaderBytes) {

  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(20);
  /** Twice Jetty's 8 KiB: room for a SigV4 header with a session token and a console cookie. */
  public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 16 * 1024;

  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
      + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  public TransportConfig {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(httpRedirectPort, "httpRedirectPort");
    trustedProxies = List.copyOf(trustedProxies);
    httpRedirectPort.ifPresent(port -> {
      if (port < 0 || port > 65535) {
        throw new WharfConfig.ConfigException("http-redirect-port must be between 0 and 65535, got " + port);
      }
      if (tls.isEmpty()) {
        throw new WharfConfig.ConfigException("http-redirect-port redirects to HTTPS: it needs tls-cert and tls-key,"
            + " or tls-keystore");
      }
    });
    for (String block : trustedProxies) {
      if (!isAddressBlock(block)) {
        throw new WharfConfig.ConfigException("trusted-proxies: '" + block + "' is not an IPv4 or IPv6 address or"
            + " CIDR block (e.g. 10.0.0.0/8, 2001:db8::/32)");
      }
    }
    requirePositive("idle-timeout", idleTimeout);
    requirePositive("request-header-timeout", requestHeaderTimeout);
    if (maxRequestHeaderBytes < 1024 || maxRequestHeaderBytes > 1024 * 1024) {
      throw new WharfConfig.ConfigException("max-request-header-size must be between 1024 and 1048576 bytes, got "
          + maxRequestHeaderBytes);
    }
  }

  /** Plain HTTP, no proxies trusted, the default limits. */
  public static TransportConfig defaults() {
    return new TransportConfig(Optional.empty(), Optional.empty(), List.of(), DEFAULT_IDLE_TIMEOUT,
        DEFAULT_REQUEST_HEADER_TIMEOUT, DEFAULT_MAX_REQUEST_HEADER_BYTES);
  }

  /** Whether the main port speaks HTTPS. */
  public boolean secure() {
    return tls.isPresent();
  }

  private static void requirePositive(String setting, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new WharfConfig.ConfigException(setting + " must be a positive number of seconds, got " + value.toSeconds());
    }
  }

  /**
   * The address an IPv4 or IPv6 literal names (no brackets, no port), parsed without ever asking DNS; empty for
   * anything else.
   */
  public static Optional<java.net.InetAddress> addressLiteral(String text) {
    try {
      if (IPV4.matcher(text).matches()) {
        return Optional.of(java.net.InetAddress.getByName(text));
      }
      if (IPV6.matcher(text).matches()) {
        // bracketed, the JDK parses it as an IPv6 literal and never asks DNS
        return Optional.of(java.net.InetAddress.getByName("[" + text + "]"));
      }
    } catch (java.net.UnknownHostException e) {
      // not a literal after all
    }
    return Optional.empty();
  }

  /** An address literal, or one with a /prefix no longer than the address; never a host name (no DNS). */
  public static boolean isAddressBlock(String block) {
    int slash = block.indexOf('/');
    String address = slash < 0 ? block : block.substring(0, slash);
    int bits;
    if (IPV4.matcher(address).matches()) {
      bits = 32;
    } else if (IPV6.matcher(address).matches() && addressLiteral(address).isPresent()) {
      bits = 128;
    } else {
      return false;
    }
    if (slash < 0) {
      return true;
    }
    String prefix = block.substring(slash + 1);
    if (!prefix.matches("[0-9]{1,3}")) {
      return false;
    }
    return Integer.parseInt(prefix) <= bits;
  }

  /**
   * Where the certificate and key come from: PEM files, or a PKCS#12 key store with its password.
   * The password never appears in {@link #toString()}.
   */
  public record Tls(Optional<Path> certificate, Optional<Path> key, Optional<Path> keyStore,
      Optional<String> keyStorePassword) {
    public Tls {
      Objects.requireNonNull(certificate, "certificate");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(keyStore, "keyStore");
      Objects.requireNonNull(keyStorePassword, "keyStorePassword");
      if (keyStore.isPresent() && (certificate.isPresent() || key.isPresent())) {
        throw new WharfConfig.ConfigException("give either tls-keystore or tls-cert and tls-key, not both");
      }
      if (keyStore.isEmpty() && certificate.isPresent() != key.isPresent()) {
        throw new WharfConfig.ConfigException(certificate.isPresent()
            ? "tls-cert needs tls-key (the certificate's private key, PEM)"
            : "tls-key needs tls-cert (the certificate chain, PEM)");
      }
      if (keyStore.isEmpty() && certificate.isEmpty()) {
        throw new WharfConfig.ConfigException("TLS needs tls-cert and tls-key, or tls-keystore");
      }
      if (keyStore.isEmpty() && keyStorePassword.isPresent()) {
        throw new WharfConfig.ConfigException("tls-keystore-password is only for tls-keystore");
      }
    }

    /** The files to watch for a renewal: the certificate and key, or the key store. */
    public List<Path> files() {
      return keyStore.map(List::of).orElseGet(() -> List.of(certificate.orElseThrow(), key.orElseThrow()));
    }

    @Override
    public String toString() {
      return keyStore.map(store -> "Tls[keyStore=" + store + ", keyStorePassword=" + (keyStorePassword.isPresent()
          ? "(set)" : "(none)") + "]").orElseGet(() -> "Tls[certificate=" + certificate.orElseThrow() + ", key="
          + key.orElseThrow() + "]");
    }
  }
}
