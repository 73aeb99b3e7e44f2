package dev.wharf.api.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.wharf.api.aws.sigv4.SigV4Exception.Reason;
import dev.wharf.api.aws.sigv4.TestingRequests.RawRequest;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/** Each way a request can fail authentication gives its own reason and an AWS-like message. */
class SigV4FailureReasonsTest {

    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private final TestingCredentialResolver credentials = new TestingCredentialResolver()
            .withKey(ACCESS_KEY, SECRET, "alice")
            .withInactiveKey("AKIAINACTIVEEXAMPLE", SECRET)
            .withExpiredSessionKey("ASIAEXPIREDEXAMPLE", SECRET, "expired-token");

    /** An STS GetCallerIdentity POST signed by the SDK at 2026-01-01T00:00:00Z. */
    private static RawRequest signedPost(AwsCredentialsIdentity identity) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("https://sts.us-east-1.amazonaws.com"))
                .encodedPath("/")
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .contentStreamProvider(ContentStreamProvider.fromUtf8String("Action=GetCallerIdentity&Version=2011-06-15"))
                .build();
        return AwsSdkSignedRequestsTest.signed(request, identity, "sts", false);
    }

    private static RawRequest signedPost() {
        return signedPost(AwsCredentialsIdentity.create(ACCESS_KEY, SECRET));
    }

    private SigV4Verifier<String> verifierAt(String now) {
        return new SigV4Verifier<>(TestingRequests.clockAt(now), credentials);
    }

    private SigV4Exception failure(SigV4Verifier<String> verifier, RawRequest raw) {
        Throwable thrown = catchThrowable(() -> verifier.verify(raw.request(), raw.bodySha256()));
        assertThat(thrown).isInstanceOf(SigV4Exception.class);
        return (SigV4Exception) thrown;
    }

    private SigV4Exception failure(RawRequest raw) {
        return failure(verifierAt("2026-01-01T00:00:00Z"), raw);
    }

    @Test
    void a_request_without_any_authentication_is_missing_authentication() {
        RawRequest raw = signedPost().withoutHeader("authorization");

        SigV4Exception failure = failure(raw);

        assertThat(failure.reason()).isEqualTo(Reason.MISSING_AUTHENTICATION);
        assertThat(failure.getMessage()).isEqualTo("Missing Authentication Token");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "AWS4-HMAC-SHA256",
        "AWS4-HMAC-SHA256 ",
        "AWS4-HMAC-SHA256 garbage",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request, SignedHeaders=host",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, "
                + "Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws5_request, SignedHeaders=host;"
                + "x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/2026-01-01/us-east-1/sts/aws4_request, SignedHeaders=host;"
                + "x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101//sts/aws4_request, SignedHeaders=host;"
                + "x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;;"
                + "x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "AWS4-HMAC-SHA256 Credential=A/20260101/us-east-1/sts/aws4_request, Credential=B/20260101/us-east-1/sts/"
                + "aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef0123456789abcdef01234567"
                + "89abcdef0123456789abcdef",
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/sts/aws4_request, SignedHeaders=host;"
                + "x-amz-date, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, Foo=bar"
    })
    void a_garbled_authorization_header_is_an_incomplete_signature(String authorization) {
        SigV4Exception failure = failure(signedPost().withHeader("authorization", authorization));

        assertThat(failure.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
        assertThat(failure.getMessage()).isNotBlank()
                .doesNotContain("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
    }

    @Test
    void another_algorithm_is_unsupported() {
        RawRequest raw = signedPost();
        String authorization = raw.request().header("authorization");

        SigV4Exception sigV4a = failure(raw.withHeader("authorization",
                authorization.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256")));
        SigV4Exception bearer = failure(raw.withHeader("authorization", "Bearer abc.def"));

        assertThat(sigV4a.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
        assertThat(sigV4a.getMessage()).contains("AWS4-ECDSA-P256-SHA256").doesNotContain("Signature=");
        assertThat(bearer.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void spacing_and_order_variations_of_the_authorization_header_are_tolerated() throws Exception {
        RawRequest raw = signedPost();
        String authorization = raw.request().header("authorization");
        String credential = authorization.substring(authorization.indexOf("Credential="), authorization.indexOf(','));
        String signedHeaders = authorization.substring(authorization.indexOf("SignedHeaders="),
                authorization.indexOf(',', authorization.indexOf("SignedHeaders=")));
        String signature = authorization.substring(authorization.indexOf("Signature="));

        for (String variant : List.of(
                "AWS4-HMAC-SHA256 " + credential + "," + signedHeaders + "," + signature,
                "AWS4-HMAC-SHA256   " + credential + " ,  " + signedHeaders + ",\t" + signature + " ",
                "AWS4-HMAC-SHA256 " + signature + ", " + credential + ", " + signedHeaders)) {
            RawRequest varied = raw.withHeader("authorization", variant);
            assertThat(verifierAt("2026-01-01T00:00:00Z").verify(varied.request(), varied.bodySha256()).principal())
                    .as(variant)
                    .isEqualTo("alice");
        }
    }

    @Test
    void an_unknown_access_key_is_reported_by_the_resolver() {
        SigV4Exception failure = failure(signedPost(AwsCredentialsIdentity.create("AKIAUNKNOWNEXAMPLE", SECRET)));

        assertThat(failure.reason()).isEqualTo(Reason.UNKNOWN_ACCESS_KEY);
    }

    @Test
    void an_inactive_access_key_is_reported_by_the_resolver() {
        SigV4Exception failure = failure(signedPost(AwsCredentialsIdentity.create("AKIAINACTIVEEXAMPLE", SECRET)));

        assertThat(failure.reason()).isEqualTo(Reason.INACTIVE_ACCESS_KEY);
    }

    @Test
    void an_expired_session_token_is_reported_by_the_resolver() {
        SigV4Exception failure = failure(signedPost(
                AwsSessionCredentialsIdentity.create("ASIAEXPIREDEXAMPLE", SECRET, "expired-token")));

        assertThat(failure.reason()).isEqualTo(Reason.EXPIRED_TOKEN);
    }

    @Test
    void a_resolver_returning_nothing_means_an_unknown_access_key() {
        SigV4Verifier<String> verifier =
                new SigV4Verifier<>(TestingRequests.clockAt("2026-01-01T00:00:00Z"), (key, token) -> null);

        assertThat(failure(verifier, signedPost()).reason()).isEqualTo(Reason.UNKNOWN_ACCESS_KEY);
    }

    @Test
    void a_request_signed_sixteen_minutes_ago_has_expired_with_the_aws_message() {
        SigV4Exception failure = failure(verifierAt("2026-01-01T00:16:00Z"), signedPost());

        assertThat(failure.reason()).isEqualTo(Reason.REQUEST_TIME_SKEWED);
        assertThat(failure.getMessage()).isEqualTo("Signature expired: 20260101T000000Z is now earlier than "
                + "20260101T000100Z (20260101T001600Z - 15 min.)");
    }

    @Test
    void a_request_signed_sixteen_minutes_ahead_is_not_yet_current_with_the_aws_message() {
        SigV4Exception failure = failure(verifierAt("2025-12-31T23:44:00Z"), signedPost());

        assertThat(failure.reason()).isEqualTo(Reason.REQUEST_TIME_SKEWED);
        assertThat(failure.getMessage()).isEqualTo("Signature not yet current: 20260101T000000Z is still later than "
                + "20251231T235900Z (20251231T234400Z + 15 min.)");
    }

    @ParameterizedTest(name = "server time {0}")
    @ValueSource(strings = {"2026-01-01T00:14:00Z", "2025-12-31T23:46:00Z", "2026-01-01T00:15:00Z"})
    void a_request_within_fifteen_minutes_of_the_server_time_verifies(String now) throws Exception {
        RawRequest raw = signedPost();

        assertThat(verifierAt(now).verify(raw.request(), raw.bodySha256()).signedAt())
                .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void a_presigned_url_past_its_expiry_has_expired() {
        RawRequest raw = presignedGet();

        SigV4Exception failure = failure(verifierAt("2026-01-01T00:15:01Z"), raw);

        assertThat(failure.reason()).isEqualTo(Reason.PRESIGNED_URL_EXPIRED);
        assertThat(failure.getMessage()).startsWith("Request has expired");
    }

    @Test
    void a_presigned_url_dated_in_the_future_is_not_yet_current() {
        SigV4Exception failure = failure(verifierAt("2025-12-31T23:44:00Z"), presignedGet());

        assertThat(failure.reason()).isEqualTo(Reason.REQUEST_TIME_SKEWED);
    }

    @ParameterizedTest(name = "X-Amz-Expires={0}")
    @ValueSource(strings = {"0", "604801", "-5", "soon"})
    void a_presigned_url_with_an_out_of_range_expiry_is_incomplete(String expires) {
        RawRequest raw = presignedGet();
        RawRequest changed = raw.withQuery(raw.request().rawQuery().replace("X-Amz-Expires=900", "X-Amz-Expires=" + expires));

        assertThat(failure(changed).reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
    }

    @Test
    void a_presigned_url_missing_a_parameter_is_incomplete() {
        RawRequest raw = presignedGet();
        String withoutDate = raw.request().rawQuery().replaceAll("&?X-Amz-Date=[^&]*", "");

        SigV4Exception failure = failure(raw.withQuery(withoutDate));

        assertThat(failure.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
        assertThat(failure.getMessage()).contains("X-Amz-Date");
    }

    @Test
    void a_credential_scope_dated_another_day_is_rejected_with_the_aws_message() {
        RawRequest raw = signedPost();
        String authorization = raw.request().header("authorization").replace("/20260101/", "/20260102/");

        SigV4Exception failure = failure(raw.withHeader("authorization", authorization));

        assertThat(failure.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(failure.getMessage()).isEqualTo("Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                + "version of date from HTTP: '20260102' != '20260101', from '20260101T000000Z'.");
    }

    @Test
    void a_request_whose_host_is_not_signed_is_rejected() {
        RawRequest raw = signedPost();
        String authorization = raw.request().header("authorization").replace("SignedHeaders=", "SignedHeaders=x-")
                .replace(";host;", ";");

        SigV4Exception failure = failure(raw.withHeader("authorization", authorization));

        assertThat(failure.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
        assertThat(failure.getMessage())
                .isEqualTo("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }

    @Test
    void a_presigned_url_whose_host_is_not_signed_is_rejected() {
        RawRequest raw = presignedGet();
        RawRequest changed =
                raw.withQuery(raw.request().rawQuery().replace("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=date"));

        assertThat(failure(changed).reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
    }

    @Test
    void a_request_dated_by_an_unsigned_x_amz_date_is_rejected() {
        RawRequest raw = signedPost();
        String authorization = raw.request().header("authorization").replace(";x-amz-date", "");

        SigV4Exception failure = failure(raw.withHeader("authorization", authorization));

        assertThat(failure.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
        assertThat(failure.getMessage()).contains("x-amz-date");
    }

    @Test
    void a_request_without_any_date_is_incomplete() {
        SigV4Exception failure = failure(signedPost().withoutHeader("x-amz-date"));

        assertThat(failure.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
        assertThat(failure.getMessage()).contains("'X-Amz-Date' or a 'Date' header");
    }

    @Test
    void a_malformed_x_amz_date_is_incomplete() {
        SigV4Exception failure = failure(signedPost().withHeader("x-amz-date", "2026-01-01T00:00:00Z"));

        assertThat(failure.reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
        assertThat(failure.getMessage()).startsWith("Date must be in ISO-8601 'basic format'.");
    }

    @Test
    void a_request_with_both_header_and_query_authentication_is_rejected() {
        RawRequest raw = signedPost().withQuery("X-Amz-Algorithm=AWS4-HMAC-SHA256");

        assertThat(failure(raw).reason()).isEqualTo(Reason.INCOMPLETE_SIGNATURE);
    }

    @Test
    void a_signature_that_is_not_hex_is_a_mismatch_and_is_never_echoed() {
        RawRequest raw = signedPost();
        String authorization = raw.request().header("authorization");
        String garbled = authorization.substring(0, authorization.indexOf("Signature=")) + "Signature=zz-not-hex";

        SigV4Exception failure = failure(raw.withHeader("authorization", garbled));

        assertThat(failure.reason()).isEqualTo(Reason.SIGNATURE_MISMATCH);
        assertThat(failure.getMessage()).doesNotContain("zz-not-hex").doesNotContain(SECRET);
    }

    @Test
    void malformed_input_of_any_kind_only_ever_raises_sigv4_exception() {
        RawRequest good = signedPost();
        String authorization = good.request().header("authorization");
        Random random = new Random(42);
        String alphabet = "AWS4-HMAC-SHA256 Credential=/;,=%%Signature SignedHeaders X-Amz-ሴ\t\n\u0000aZ09+&?";
        List<SignedRequest> requests = new ArrayList<>();
        requests.add(new SignedRequest(null, null, null, null));
        requests.add(new SignedRequest("GET", null, null, Map.of("authorization", List.of(authorization))));
        requests.add(new SignedRequest("GET", "/", "X-Amz-Algorithm=%", null));
        Map<String, List<String>> withNullValue = new HashMap<>();
        withNullValue.put("authorization", java.util.Collections.singletonList(null));
        requests.add(new SignedRequest("GET", "/", null, withNullValue));
        for (int i = 0; i < 2000; i++) {
            String noise = randomString(random, alphabet, random.nextInt(60));
            int cut = random.nextInt(authorization.length());
            String mutated = authorization.substring(0, cut) + noise + authorization.substring(cut);
            requests.add(good.withHeader("authorization", i % 2 == 0 ? mutated : noise).request());
            String query = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + noise + "&X-Amz-Date=" + noise
                    + "&X-Amz-Expires=" + noise + "&X-Amz-SignedHeaders=" + noise + "&X-Amz-Signature=" + noise
                    + "&" + noise;
            requests.add(new SignedRequest(noise, noise, query, Map.of("host", List.of(noise))));
        }

        SigV4Verifier<String> verifier = verifierAt("2026-01-01T00:00:00Z");
        for (SignedRequest request : requests) {
            assertThatThrownBy(() -> verifier.verify(request, TestingRequests.EMPTY_SHA256))
                    .as(String.valueOf(request))
                    .isInstanceOf(SigV4Exception.class);
            assertThat(SigV4Verifier.isSigned(request)).isIn(true, false);
        }
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    private static RawRequest presignedGet() {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(URI.create("https://sts.us-east-1.amazonaws.com"))
                .encodedPath("/")
                .appendRawQueryParameter("Action", "GetCallerIdentity")
                .appendRawQueryParameter("Version", "2011-06-15")
                .build();
        return AwsSdkSignedRequestsTest.signed(request, AwsCredentialsIdentity.create(ACCESS_KEY, SECRET), "sts", true);
    }
}
