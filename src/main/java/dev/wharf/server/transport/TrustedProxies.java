package dev.wharf.server.transport;

import dev.wharf.config.TransportConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * Lets reverse proxies the operator trusts name the caller: when a request's connection comes from a trusted
 * address, the right-most address of {@code X-Forwarded-For} that is not itself trusted becomes the request's remote
 * address, and the last {@code X-Forwarded-Proto} its transport (https or http). From any other address both headers
 * are ignored. Everything that reads the caller's address or transport (policy conditions aws:SourceIp and
 * aws:SecureTransport, the audit trail, the console's cookies) reads it from the request this customizer returns,
 * through {@code Exchange.remoteAddress()} and {@code Exchange.isSecure()}.
 *
 * <p>Right-most, not left-most: a proxy appends the address it saw to whatever the client sent, so every entry left
 * of the ones trusted proxies wrote may be forged.
 */
public final class TrustedProxies implements HttpConfiguration.Customizer {
  private final InetAddressSet trusted = new InetAddressSet();

  /** Proxies at {@code blocks}: address literals or CIDR blocks, IPv4 or IPv6 (validated by TransportConfig). */
  public TrustedProxies(List<String> blocks) {
    for (String block : blocks) {
      if (!TransportConfig.isAddressBlock(block)) {
        throw new IllegalArgumentException("not an address block: " + block);
      }
      trusted.add(block);
    }
  }

  @Override
  public Request customize(Request request, HttpFields.Mutable responseHeaders) {
    if (trusted.isEmpty() || !(request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress peer)
        || !trusted.test(peer.getAddress())) {
      return request;
    }
    Optional<InetAddress> client = client(request.getHeaders().getValuesList("X-Forwarded-For"));
    Optional<Boolean> secure = secure(request.getHeaders().getValuesList("X-Forwarded-Proto"));
    if (client.isEmpty() && secure.isEmpty()) {
      return request;
    }
    SocketAddress remote = client.<SocketAddress>map(address -> new InetSocketAddress(address, 0))
        .orElse(peer);
    boolean isSecure = secure.orElse(request.isSecure());
    HttpURI uri = secure.isEmpty() ? request.getHttpURI()
        : HttpURI.build(request.getHttpURI()).scheme(isSecure ? HttpScheme.HTTPS : HttpScheme.HTTP).asImmutable();
    ConnectionMetaData metaData = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
      @Override
      public SocketAddress getRemoteSocketAddress() {
        return remote;
      }

      @Override
      public boolean isSecure() {
        return isSecure;
      }
    };
    return new Request.Wrapper(request) {
      @Override
      public ConnectionMetaData getConnectionMetaData() {
        return metaData;
      }

      @Override
      public HttpURI getHttpURI() {
        return uri;
      }

      @Override
      public boolean isSecure() {
        return isSecure;
      }
    };
  }

  /**
   * The right-most address that is not a trusted proxy, or when all are trusted the left-most; empty when the
   * header is absent or the entry a trusted proxy wrote is not an address (then the connection's address stands).
   */
  Optional<InetAddress> client(List<String> headerValues) {
    List<String> hops = new ArrayList<>();
    for (String value : headerValues) {
      for (String hop : value.split(",")) {
        if (!hop.isBlank()) {
          hops.add(hop.trim());
        }
      }
    }
    InetAddress leftMost = null;
    for (int i = hops.size() - 1; i >= 0; i--) {
      Optional<InetAddress> address = literal(hops.get(i));
      if (address.isEmpty()) {
        return Optional.empty();
      }
      if (!trusted.test(address.get())) {
        return address;
      }
      leftMost = address.get();
    }
    return Optional.ofNullable(leftMost);
  }

  /** The last X-Forwarded-Proto value (the one the nearest proxy wrote), when it is http or https. */
  private static Optional<Boolean> secure(List<String> headerValues) {
    String last = null;
    for (String value : headerValues) {
      for (String proto : value.split(",")) {
        if (!proto.isBlank()) {
          last = proto.trim().toLowerCase(Locale.ROOT);
        }
      }
    }
    if ("https".equals(last)) {
      return Optional.of(true);
    }
    if ("http".equals(last)) {
      return Optional.of(false);
    }
    return Optional.empty();
  }

  /**
   * An address literal as proxies write it (1.2.3.4, 1.2.3.4:5678, 2001:db8::1, [2001:db8::1]:5678), parsed without
   * ever asking DNS: anything else is empty.
   */
  static Optional<InetAddress> literal(String hop) {
    String host = hop;
    if (host.startsWith("[")) {
      int close = host.indexOf(']');
      if (close < 0) {
        return Optional.empty();
      }
      host = host.substring(1, close);
    } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') > 0) {
      host = host.substring(0, host.indexOf(':')); // IPv4 with a port
    }
    return TransportConfig.addressLiteral(host);
  }
}
