package dev.wharf.server.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.audit.AuditEvent;
import dev.wharf.testing.TestingAudit;
import dev.wharf.testing.TestingIam;
import dev.wharf.testing.TestingServer;
import dev.wharf.testing.TestingSigner;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;

/**
 * A reverse proxy the operator trusts names the caller with X-Forwarded-For and X-Forwarded-Proto, and policies see
 * that caller (aws:SourceIp, aws:SecureTransport); from any other address the headers change nothing. The proxy is
 * played by a client that connects from 127.0.0.2 (every 127/8 address is the loopback), the only trusted address;
 * an untrusted client connects from 127.0.0.1.
 */
class TrustedProxiesIT {
  /** ListDomains only from 203.0.113.0/24 or 2001:db8:1::/48; ListRepositories only over HTTPS. */
  private static final String POLICY = """
      {"Version":"2012-10-17","Statement":[
        {"Effect":"Allow","Action":"codeartifact:ListDomains","Resource":"*",
         "Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8:1::/48"]}}},
        {"Effect":"Allow","Action":"codeartifact:ListRepositories","Resource":"*",
         "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}""";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static AwsBasicCredentials caller;
  static TestingSigner throughProxy;
  static TestingSigner direct;

  @BeforeAll
  static void start() throws Exception {
    wharf = TestingServer.start(scratch.resolve("data"), Clock.systemUTC(),
        Map.of("WHARF_TRUSTED_PROXIES", "127.0.0.2/32,2001:db8:ffff::/48"));
    caller = TestingIam.user(wharf.iam(wharf.rootCredentials()), "ci", "by-address", POLICY);
    throughProxy = new TestingSigner(wharf.endpoint(), Clock.systemUTC(), HttpClient.newBuilder()
        .localAddress(InetAddress.getByName("127.0.0.2")).version(HttpClient.Version.HTTP_1_1).build());
    direct = new TestingSigner(wharf.endpoint(), Clock.systemUTC(), HttpClient.newBuilder()
        .localAddress(InetAddress.getByName("127.0.0.1")).version(HttpClient.Version.HTTP_1_1).build());
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static int listDomains(TestingSigner from, String forwardedFor) {
    TestingSigner.Request request = from.request("POST", "/v1/domains", null)
        .body("application/json", "{}".getBytes(StandardCharsets.UTF_8));
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    return request.signed(caller, "codeartifact").status();
  }

  private static int listRepositories(TestingSigner from, String forwardedProto) {
    TestingSigner.Request request = from.request("POST", "/v1/repositories", null)
        .body("application/json", "{}".getBytes(StandardCharsets.UTF_8));
    if (forwardedProto != null) {
      request.header("X-Forwarded-Proto", forwardedProto);
    }
    return request.signed(caller, "codeartifact").status();
  }

  @Test
  void aTrustedProxyNamesTheCallerForAwsSourceIp() {
    assertThat(listDomains(throughProxy, null)).as("the proxy's own address is not in the allowed range").isEqualTo(403);
    assertThat(listDomains(throughProxy, "203.0.113.9")).isEqualTo(200);
    assertThat(listDomains(throughProxy, "[2001:db8:1::7]:41000")).as("IPv6, as some proxies write it").isEqualTo(200);
    assertThat(listDomains(throughProxy, "203.0.113.9, 127.0.0.2")).as("trusted hops are skipped").isEqualTo(200);
  }

  @Test
  void onlyTheRightMostUntrustedAddressCountsSoAClientCannotForgeOne() {
    // the client sent "X-Forwarded-For: 203.0.113.9"; the proxy appended the address it really saw
    assertThat(listDomains(throughProxy, "203.0.113.9, 198.51.100.20")).isEqualTo(403);
    assertThat(listDomains(throughProxy, "203.0.113.9, not-an-address")).as("garbage is not skipped").isEqualTo(403);
  }

  @Test
  void forwardedHeadersFromAnUntrustedAddressAreIgnored() {
    assertThat(listDomains(direct, "203.0.113.9")).isEqualTo(403);
    assertThat(listRepositories(direct, "https")).isEqualTo(403);
  }

  @Test
  void aTrustedProxyNamesTheTransportForAwsSecureTransport() {
    assertThat(listRepositories(throughProxy, null)).as("plain HTTP to Wharf").isEqualTo(403);
    assertThat(listRepositories(throughProxy, "http")).isEqualTo(403);
    assertThat(listRepositories(throughProxy, "https")).isEqualTo(200);
  }

  @Test
  void theAuditTrailRecordsTheForwardedAddress() {
    Instant before = Instant.now().minusSeconds(1);
    assertThat(listDomains(throughProxy, "198.51.100.77")).isEqualTo(403);
    assertThat(listDomains(throughProxy, "2001:db8:2::9")).isEqualTo(403);
    List<String> forwarded = List.of("198.51.100.77", "2001:db8:2:0:0:0:0:9");
    TestingAudit.awaitEvents(
        () -> wharf.server().audit().lookup(wharf.managementAccountId(), before, null, "codeartifact:ListDomains", 50),
        found -> found.stream().map(AuditEvent::sourceIp).toList().containsAll(forwarded),
        "ListDomains events from " + forwarded);
  }
}
