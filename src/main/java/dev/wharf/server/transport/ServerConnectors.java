package dev.wharf.server.transport;

import dev.wharf.config.TransportConfig;
import java.util.Optional;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's listening sockets: the main port (plain HTTP/1.1, or HTTPS with HTTP/2 and HTTP/1.1 over ALPN), the
 * optional plain-HTTP port that only redirects, and the limits every connection lives under.
 *
 * @param main the connector of the main port (the first of the server's)
 * @param redirect the redirecting plain-HTTP connector, when configured
 * @param reloader swaps in renewed certificate files, when TLS is on
 */
public record ServerConnectors(ServerConnector main, Optional<ServerConnector> redirect, Optional<TlsReloader> reloader) {
  /**
   * The listen backlog asked for: connections the kernel completes before Jetty accepts them. Java's default of 50
   * overflows in a burst of new connections, and each refused SYN costs its client a one-second retransmission. The
   * kernel caps it at net.core.somaxconn (4096 on current Linux).
   */
  public static final int ACCEPT_QUEUE = 4096;

  /** TLS 1.3 suites, then TLS 1.2 with ECDHE (forward secrecy) and an AEAD cipher only. */
  static final String[] CIPHER_SUITES = {
      "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"};

  /**
   * Adds the connectors {@code transport} asks for to {@code server}, with {@code http} (the settings every request
   * shares) completed by the transport's header size, proxies and TLS. Fails with a one-line message when the
   * certificate or key cannot be used.
   */
  public static ServerConnectors add(Server server, HttpConfiguration http, TransportConfig transport, String host,
      int port) throws TlsMaterial.TlsException {
    http.setRequestHeaderSize(transport.maxRequestHeaderBytes());
    RequestHeaderTimeout headerTimeout = new RequestHeaderTimeout(transport.requestHeaderTimeout());
    server.addBean(headerTimeout);
    server.setErrorHandler(new ConnectionErrors());

    HttpConfiguration served = new HttpConfiguration(http);
    ServerConnector main;
    Optional<TlsReloader> reloader = Optional.empty();
    if (transport.tls().isPresent()) {
      TransportConfig.Tls tls = transport.tls().get();
      SslContextFactory.Server sslContext = new SslContextFactory.Server();
      // the files' fingerprint before they are read: a change in between is reloaded by the first check
      TlsReloader watching = new TlsReloader(tls, sslContext);
      TlsMaterial material = TlsMaterial.load(tls);
      sslContext.setKeyStore(material.keyStore());
      sslContext.setKeyStorePassword(material.password());
      sslContext.setKeyManagerPassword(material.password());
      sslContext.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      sslContext.setIncludeCipherSuites(CIPHER_SUITES);
      sslContext.setCipherComparator(HTTP2Cipher.COMPARATOR);
      sslContext.setUseCipherSuitesOrder(true);
      sslContext.setRenegotiationAllowed(false);
      // clients that connect by address send no SNI; one certificate is served whatever name is asked for
      sslContext.setSniRequired(false);
      SecureRequestCustomizer secure = new SecureRequestCustomizer(false, false, -1, false);
      served.addCustomizer(secure);
      addProxies(served, transport);
      HttpConnectionFactory http1 = new HttpConnectionFactory(served);
      HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(served);
      // offers the protocols of the factories that follow it on the connector: h2, then http/1.1
      ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
      alpn.setDefaultProtocol(http1.getProtocol());
      main = new ServerConnector(server, new SslConnectionFactory(sslContext, alpn.getProtocol()), alpn, http2, http1);
      reloader = Optional.of(watching);
    } else {
      addProxies(served, transport);
      main = new ServerConnector(server, new HttpConnectionFactory(served));
    }
    configure(main, transport, host, port, headerTimeout);
    server.addConnector(main);

    Optional<ServerConnector> redirect = transport.httpRedirectPort().map(redirectPort -> {
      ServerConnector plain = new ServerConnector(server, new HttpConnectionFactory(new HttpConfiguration(http)));
      plain.setName(HttpsRedirect.CONNECTOR_NAME);
      configure(plain, transport, host, redirectPort, headerTimeout);
      server.addConnector(plain);
      return plain;
    });
    return new ServerConnectors(main, redirect, reloader);
  }

  private static void addProxies(HttpConfiguration http, TransportConfig transport) {
    if (!transport.trustedProxies().isEmpty()) {
      http.addCustomizer(new TrustedProxies(transport.trustedProxies()));
    }
  }

  private static void configure(ServerConnector connector, TransportConfig transport, String host, int port,
      RequestHeaderTimeout headerTimeout) {
    connector.setHost(host);
    connector.setPort(port);
    connector.setAcceptQueueSize(ACCEPT_QUEUE);
    connector.setIdleTimeout(transport.idleTimeout().toMillis());
    connector.addEventListener(headerTimeout);
  }
}
