package dev.wharf.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
  private final TrustedProxies proxies = new TrustedProxies(List.of("10.0.0.0/8", "2001:db8:ffff::/48"));

  @Test
  void theRightMostAddressThatIsNotATrustedProxyIsTheClient() throws Exception {
    assertThat(proxies.client(List.of("198.51.100.1, 203.0.113.5, 10.1.2.3"))).contains(InetAddress.getByName("203.0.113.5"));
    assertThat(proxies.client(List.of("198.51.100.1", "203.0.113.5:4711", "10.1.2.3"))).as("header lines in order")
        .contains(InetAddress.getByName("203.0.113.5"));
    assertThat(proxies.client(List.of("[2001:db8:1::5]:443, 2001:db8:ffff::1"))).contains(InetAddress.getByName("2001:db8:1::5"));
    assertThat(proxies.client(List.of("10.9.9.9, 10.1.2.3"))).as("all trusted: the left-most")
        .contains(InetAddress.getByName("10.9.9.9"));
  }

  @Test
  void whatIsNotAnAddressLiteralNamesNoClientAndIsNeverLookedUp() {
    assertThat(proxies.client(List.of())).isEmpty();
    assertThat(proxies.client(List.of("203.0.113.5, localhost"))).isEmpty();
    assertThat(proxies.client(List.of("unknown"))).isEmpty();
    assertThat(proxies.client(List.of("999.1.1.1"))).isEmpty();
    assertThat(TrustedProxies.literal("example.com")).isEmpty();
    assertThat(TrustedProxies.literal("abc:def")).isEmpty();
  }
}
