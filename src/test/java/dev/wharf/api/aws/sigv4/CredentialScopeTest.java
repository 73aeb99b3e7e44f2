package dev.wharf.api.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.wharf.api.aws.sigv4.SigV4Exception.Reason;
import dev.wharf.api.aws.sigv4.TestingRequests.RawRequest;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A valid signature counts only for the service and the regions the endpoint serves: a request signed for
 * another region or service is refused with AWS's own messages, in the header and in presigned URLs.
 */
class CredentialScopeTest {

    private static final String ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    private final SigV4Verifier<String> verifier = new SigV4Verifier<>(
            TestingRequests.clockAt("2026-01-01T00:05:00Z"),
            new TestingCredentialResolver().withKey(ACCESS_KEY, SECRET, "alice"));

    /** A CodeArtifact ListDomains call signed by the SDK for us-east-1 and the given service. */
    private static RawRequest listDomains(String service, boolean presigned) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("https://codeartifact.us-east-1.amazonaws.com"))
                .encodedPath("/v1/domains")
                .putHeader("Content-Type", "application/json")
                .contentStreamProvider(ContentStreamProvider.fromUtf8String("{}"))
                .build();
        return AwsSdkSignedRequestsTest.signed(
                request, AwsCredentialsIdentity.create(ACCESS_KEY, SECRET), service, presigned);
    }

    private SigV4Exception refusal(RawRequest raw, ExpectedScope expected) {
        Throwable thrown = catchThrowable(() -> verifier.verify(raw.request(), raw.bodySha256(), expected));
        assertThat(thrown).isInstanceOf(SigV4Exception.class);
        return (SigV4Exception) thrown;
    }

    @Test
    void a_request_signed_for_the_expected_service_and_region_verifies() throws SigV4Exception {
        RawRequest raw = listDomains("codeartifact", false);

        VerifiedRequest<String> verified =
                verifier.verify(raw.request(), raw.bodySha256(), new ExpectedScope("codeartifact", Set.of("us-east-1")));

        assertThat(verified.principal()).isEqualTo("alice");
        assertThat(verified.region()).isEqualTo("us-east-1");
    }

    @Test
    void a_request_signed_for_another_region_is_refused_though_its_signature_is_valid() {
        SigV4Exception refusal =
                refusal(listDomains("codeartifact", false), new ExpectedScope("codeartifact", Set.of("eu-west-9")));

        assertThat(refusal.reason()).isEqualTo(Reason.WRONG_CREDENTIAL_SCOPE);
        assertThat(refusal.getMessage()).isEqualTo("Credential should be scoped to a valid region.");
    }

    @Test
    void a_request_signed_for_another_service_is_refused_naming_the_right_one() {
        SigV4Exception refusal = refusal(listDomains("s3", false), new ExpectedScope("codeartifact", Set.of("us-east-1")));

        assertThat(refusal.reason()).isEqualTo(Reason.WRONG_CREDENTIAL_SCOPE);
        assertThat(refusal.getMessage()).isEqualTo("Credential should be scoped to correct service: 'codeartifact'.");
    }

    @Test
    void a_presigned_url_of_another_region_or_service_is_refused_too() {
        assertThat(refusal(listDomains("codeartifact", true), new ExpectedScope("codeartifact", Set.of("eu-west-9")))
                .getMessage()).isEqualTo("Credential should be scoped to a valid region.");
        assertThat(refusal(listDomains("s3", true), new ExpectedScope("codeartifact", Set.of("us-east-1")))
                .getMessage()).isEqualTo("Credential should be scoped to correct service: 'codeartifact'.");
    }

    @Test
    void the_region_is_checked_before_the_service_as_aws_does() {
        SigV4Exception refusal = refusal(listDomains("s3", false), new ExpectedScope("codeartifact", Set.of("eu-west-9")));

        assertThat(refusal.getMessage()).isEqualTo("Credential should be scoped to a valid region.");
    }

    @Test
    void any_of_several_accepted_regions_verifies() throws SigV4Exception {
        RawRequest raw = listDomains("iam", false);

        assertThat(verifier.verify(raw.request(), raw.bodySha256(),
                new ExpectedScope("iam", Set.of("eu-central-1", "us-east-1", "aws-global"))).service()).isEqualTo("iam");
    }
}
