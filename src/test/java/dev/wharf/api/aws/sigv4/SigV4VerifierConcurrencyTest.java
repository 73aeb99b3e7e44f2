package dev.wharf.api.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.api.aws.sigv4.TestingRequests.RawRequest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/** One verifier (and its signing-key cache) serves many threads at once. */
class SigV4VerifierConcurrencyTest {

    @Test
    void many_threads_verify_requests_of_many_keys_through_one_verifier() throws Exception {
        TestingCredentialResolver credentials = new TestingCredentialResolver();
        List<RawRequest> requests = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String accessKey = "AKIAEXAMPLE" + i;
            String secret = "secret/" + i + "/EXAMPLEKEY";
            credentials.withKey(accessKey, secret, "user-" + i);
            SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                    .method(SdkHttpMethod.GET)
                    .uri(URI.create("https://iam.amazonaws.com"))
                    .encodedPath("/")
                    .appendRawQueryParameter("Action", "GetUser")
                    .appendRawQueryParameter("UserName", "user-" + i)
                    .build();
            requests.add(AwsSdkSignedRequestsTest.signed(
                    request, AwsCredentialsIdentity.create(accessKey, secret), "iam", i % 2 == 0));
        }
        SigV4Verifier<String> verifier =
                new SigV4Verifier<>(TestingRequests.clockAt("2026-01-01T00:01:00Z"), credentials);

        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int round = 0; round < 50; round++) {
                for (RawRequest raw : requests) {
                    results.add(pool.submit(() -> verifier.verify(raw.request(), raw.bodySha256()).principal()));
                }
            }
        }

        for (int i = 0; i < results.size(); i++) {
            assertThat(results.get(i).get()).isEqualTo("user-" + (i % requests.size()));
        }
    }

    @Test
    void a_missing_payload_hash_falls_back_to_the_x_amz_content_sha256_header() throws Exception {
        RawRequest raw = AwsSdkSignedRequestsTest.signed(SdkHttpFullRequest.builder()
                        .method(SdkHttpMethod.POST)
                        .uri(URI.create("https://sts.us-east-1.amazonaws.com"))
                        .encodedPath("/")
                        .contentStreamProvider(
                                software.amazon.awssdk.http.ContentStreamProvider.fromUtf8String("Action=GetCallerIdentity"))
                        .build(),
                AwsCredentialsIdentity.create("AKIAEXAMPLE", "secret"), "sts", false);
        SigV4Verifier<String> verifier = new SigV4Verifier<>(TestingRequests.clockAt("2026-01-01T00:01:00Z"),
                new TestingCredentialResolver().withKey("AKIAEXAMPLE", "secret", "alice"));

        assertThat(raw.request().header("x-amz-content-sha256")).isEqualTo(raw.bodySha256());
        assertThat(verifier.verify(raw.request(), null).principal()).isEqualTo("alice");
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(SigV4Exception.class,
                        () -> verifier.verify(raw.withoutHeader("x-amz-content-sha256").request(), null))
                .reason())
                .isEqualTo(SigV4Exception.Reason.INCOMPLETE_SIGNATURE);
    }
}
