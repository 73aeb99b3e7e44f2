package dev.wharf.api.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.api.aws.sigv4.SigV4Exception.Reason;
import dev.wharf.api.aws.sigv4.TestingRequests.RawRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Requests signed by the real AWS SDK for Java v2 signer verify, and tampered ones do not. */
class AwsSdkSignedRequestsTest {

    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String SESSION_KEY = "ASIAIOSFODNN7EXAMPLE";
    private static final String SESSION_SECRET = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
    private static final String SESSION_TOKEN = "FwoGZXIvYXdzEBYaDk1+ahs/Token+With/Base64==";
    private static final Instant SIGNED_AT = Instant.parse("2026-01-01T00:00:00Z");

    private final TestingCredentialResolver credentials = new TestingCredentialResolver()
            .withKey(ACCESS_KEY, SECRET, "alice")
            .withSessionKey(SESSION_KEY, SESSION_SECRET, SESSION_TOKEN, "assumed-role/builder/session");
    private final SigV4Verifier<String> verifier =
            new SigV4Verifier<>(TestingRequests.clockAt("2026-01-01T00:05:00Z"), credentials);

    @Test
    void a_header_signed_sts_form_post_verifies() throws Exception {
        RawRequest raw = signed(stsPost("Action=GetCallerIdentity&Version=2011-06-15"), longTerm(), "sts", false);

        VerifiedRequest<String> verified = verifier.verify(raw.request(), raw.bodySha256());

        assertThat(verified).isEqualTo(new VerifiedRequest<>("alice", ACCESS_KEY, "us-east-1", "sts", SIGNED_AT, false));
    }

    @Test
    void a_header_signed_request_with_a_session_token_passes_the_token_to_the_resolver() throws Exception {
        RawRequest raw = signed(stsPost("Action=GetCallerIdentity&Version=2011-06-15"), session(), "sts", false);

        assertThat(raw.request().header("x-amz-security-token")).isEqualTo(SESSION_TOKEN);
        assertThat(verifier.verify(raw.request(), raw.bodySha256()).principal())
                .isEqualTo("assumed-role/builder/session");
        RawRequest otherToken = raw.withHeader("x-amz-security-token", SESSION_TOKEN + "x");
        assertReason(otherToken, Reason.INVALID_SESSION_TOKEN);
    }

    @Test
    void a_header_signed_get_with_odd_characters_in_path_and_query_verifies() throws Exception {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("https://codeartifact.us-east-1.amazonaws.com"))
                .encodedPath("/v1/package/version/readme%20file/%40scope%2Fname/a+b:c/%E2%9C%93/~tilde")
                .appendRawQueryParameter("domain", "my domain")
                .appendRawQueryParameter("namespace", "@scope/ns")
                .appendRawQueryParameter("package", "pkg+plus*star~tilde")
                .appendRawQueryParameter("version", "1.0.0-ü=é&x")
                .appendRawQueryParameter("empty", "")
                .appendRawQueryParameter("b", "2")
                .appendRawQueryParameter("b", "1")
                .build();
        RawRequest raw = signed(request, longTerm(), "codeartifact", false);

        VerifiedRequest<String> verified = verifier.verify(raw.request(), raw.bodySha256());

        assertThat(verified.service()).isEqualTo("codeartifact");
        assertThat(raw.request().rawQuery()).contains("%20").contains("%2F");
    }

    @Test
    void a_header_signed_json_post_with_an_unsorted_query_verifies_and_every_tampering_fails() throws Exception {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("https://codeartifact.us-east-1.amazonaws.com"))
                .encodedPath("/v1/authorization-token")
                .appendRawQueryParameter("duration", "900")
                .appendRawQueryParameter("domain-owner", "111122223333")
                .appendRawQueryParameter("domain", "my-domain")
                .putHeader("Content-Type", "application/json")
                .contentStreamProvider(ContentStreamProvider.fromUtf8String("{\"a\":  1}"))
                .build();
        RawRequest raw = signed(request, longTerm(), "codeartifact", false);
        assertThat(verifier.verify(raw.request(), raw.bodySha256()).principal()).isEqualTo("alice");

        assertEveryTamperingFails(raw);
    }

    @Test
    void a_presigned_get_caller_identity_url_verifies() throws Exception {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("https://sts.us-east-1.amazonaws.com"))
                .encodedPath("/")
                .appendRawQueryParameter("Action", "GetCallerIdentity")
                .appendRawQueryParameter("Version", "2011-06-15")
                .putHeader("x-k8s-aws-id", "my-cluster")
                .build();
        RawRequest raw = signed(request, session(), "sts", true);

        VerifiedRequest<String> verified = verifier.verify(raw.request(), TestingRequests.EMPTY_SHA256);

        assertThat(verified).isEqualTo(new VerifiedRequest<>(
                "assumed-role/builder/session", SESSION_KEY, "us-east-1", "sts", SIGNED_AT, true));
        assertThat(raw.request().header("authorization")).isNull();
        assertThat(raw.request().rawQuery()).contains("X-Amz-Security-Token=");
        assertEveryTamperingFails(raw);
    }

    @Test
    void a_presigned_url_fails_once_its_expiry_has_passed() throws Exception {
        RawRequest raw = signed(stsGet(), longTerm(), "sts", true);
        SigV4Verifier<String> later = new SigV4Verifier<>(
                Clock.fixed(SIGNED_AT.plus(Duration.ofMinutes(15)).plusSeconds(1), java.time.ZoneOffset.UTC),
                credentials);
        SigV4Verifier<String> justInTime = new SigV4Verifier<>(
                Clock.fixed(SIGNED_AT.plus(Duration.ofMinutes(15)), java.time.ZoneOffset.UTC), credentials);

        assertThat(justInTime.verify(raw.request(), TestingRequests.EMPTY_SHA256).presigned()).isTrue();
        assertThatThrownBy(() -> later.verify(raw.request(), TestingRequests.EMPTY_SHA256))
                .isInstanceOfSatisfying(SigV4Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.PRESIGNED_URL_EXPIRED));
    }

    @Test
    void is_signed_recognises_header_and_query_authentication_only() {
        RawRequest header = signed(stsGet(), longTerm(), "sts", false);
        RawRequest query = signed(stsGet(), longTerm(), "sts", true);

        assertThat(SigV4Verifier.isSigned(header.request())).isTrue();
        assertThat(SigV4Verifier.isSigned(query.request())).isTrue();
        assertThat(SigV4Verifier.isSigned(header.withoutHeader("authorization").request())).isFalse();
        assertThat(SigV4Verifier.isSigned(header.withHeader("authorization", "Bearer abc").request())).isFalse();
    }

    private void assertEveryTamperingFails(RawRequest raw) throws Exception {
        String other = raw.request().method().equals("GET") ? "DELETE" : "PUT";
        assertReason(raw.withMethod(other), Reason.SIGNATURE_MISMATCH);
        assertReason(raw.withPath(raw.request().rawPath() + "x"), Reason.SIGNATURE_MISMATCH);
        assertReason(raw.withQuery(raw.request().rawQuery() + "&extra=1"), Reason.SIGNATURE_MISMATCH);
        assertReason(raw.withQuery(raw.request().rawQuery().replaceFirst("=([^&])", "=x$1")), Reason.SIGNATURE_MISMATCH);
        assertReason(raw.withHeader("host", "evil.example.com"), Reason.SIGNATURE_MISMATCH);
        assertReason(raw.withBody(new String(raw.body(), StandardCharsets.UTF_8) + " "), Reason.SIGNATURE_MISMATCH);
        SigV4Verifier<String> wrongSecret = new SigV4Verifier<>(TestingRequests.clockAt("2026-01-01T00:05:00Z"),
                (accessKeyId, token) -> new SigningCredential<>(SECRET + "x", "alice"));
        assertThatThrownBy(() -> wrongSecret.verify(raw.request(), raw.bodySha256()))
                .isInstanceOfSatisfying(SigV4Exception.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH));
    }

    private void assertReason(RawRequest raw, Reason reason) {
        ThrowingConsumer<SigV4Exception> check = e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).doesNotContain(SECRET).doesNotContain(SESSION_SECRET);
        };
        assertThatThrownBy(() -> verifier.verify(raw.request(), raw.bodySha256()))
                .isInstanceOfSatisfying(SigV4Exception.class, e -> {
                    try {
                        check.accept(e);
                    } catch (Throwable t) {
                        throw new AssertionError(t);
                    }
                });
    }

    private static SdkHttpFullRequest stsPost(String form) {
        return SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("https://sts.us-east-1.amazonaws.com"))
                .encodedPath("/")
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .contentStreamProvider(ContentStreamProvider.fromUtf8String(form))
                .build();
    }

    private static SdkHttpFullRequest stsGet() {
        return SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("https://sts.us-east-1.amazonaws.com"))
                .encodedPath("/")
                .appendRawQueryParameter("Action", "GetCallerIdentity")
                .appendRawQueryParameter("Version", "2011-06-15")
                .build();
    }

    private static AwsCredentialsIdentity longTerm() {
        return AwsCredentialsIdentity.create(ACCESS_KEY, SECRET);
    }

    private static AwsCredentialsIdentity session() {
        return AwsSessionCredentialsIdentity.create(SESSION_KEY, SESSION_SECRET, SESSION_TOKEN);
    }

    /** Signs with the SDK's AwsV4HttpSigner and returns the request as the server would see it. */
    static RawRequest signed(SdkHttpFullRequest request, AwsCredentialsIdentity identity, String service, boolean presign) {
        byte[] body = request.contentStreamProvider().map(AwsSdkSignedRequestsTest::readAll).orElse(new byte[0]);
        var signed = AwsV4HttpSigner.create().sign(r -> {
            r.request(request)
                    .identity(identity)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(SIGNED_AT, java.time.ZoneOffset.UTC));
            request.contentStreamProvider().ifPresent(r::payload);
            if (presign) {
                r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, Duration.ofMinutes(15));
            }
        });
        return new RawRequest(asServerSees(signed.request()), body);
    }

    static SignedRequest asServerSees(SdkHttpRequest request) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.forEachHeader((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>()).addAll(values));
        if (!headers.containsKey("host")) {
            int port = request.port();
            boolean defaultPort = port == -1 || port == (request.protocol().equals("https") ? 443 : 80);
            headers.put("host", List.of(defaultPort ? request.host() : request.host() + ":" + port));
        }
        return new SignedRequest(request.method().name(), request.encodedPath(), request.getUri().getRawQuery(), headers);
    }

    private static byte[] readAll(ContentStreamProvider provider) {
        try (InputStream in = provider.newStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
