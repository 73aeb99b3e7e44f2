package dev.wharf.bench;

import dev.wharf.api.aws.sigv4.ExpectedScope;
import dev.wharf.api.aws.sigv4.SigV4Exception;
import dev.wharf.api.aws.sigv4.SigV4Verifier;
import dev.wharf.api.aws.sigv4.SignedRequest;
import dev.wharf.api.aws.sigv4.SigningCredential;
import dev.wharf.api.aws.sigv4.VerifiedRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Verifying a realistic SDK-signed STS GetCallerIdentity POST (form body, session token, six
 * signed headers) with the signing key already cached. The body hash is not part of the
 * measurement: the HTTP layer computes it while reading the body.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SigV4VerificationBenchmark {
    private static final ExpectedScope STS = new ExpectedScope("sts", java.util.Set.of("us-east-1"));


    private static final Instant SIGNED_AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SECRET = "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY";
    private static final SigningCredential<String> CREDENTIAL = new SigningCredential<>(SECRET, "assumed-role/ci/build");

    private SigV4Verifier<String> verifier;
    private SignedRequest request;
    private String payloadSha256;
    private SdkHttpFullRequest unsignedRequest;
    private final AwsV4HttpSigner sdkSigner = AwsV4HttpSigner.create();
    private final AwsSessionCredentialsIdentity identity = AwsSessionCredentialsIdentity.create("ASIAIOSFODNN7EXAMPLE",
            SECRET, "FwoGZXIvYXdzEBYaDk1+ahs/Token+With/Base64+ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijkl==");

    @Setup
    public void signRequest() throws Exception {
        String body = "Action=GetCallerIdentity&Version=2011-06-15";
        SdkHttpFullRequest unsigned = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(URI.create("https://sts.us-east-1.amazonaws.com"))
                .encodedPath("/")
                .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .putHeader("Content-Length", String.valueOf(body.length()))
                .putHeader("User-Agent", "aws-sdk-java/2.40.2 md/io#sync md/http#UrlConnection ua/2.1 api/STS#2.40.2")
                .contentStreamProvider(ContentStreamProvider.fromUtf8String(body))
                .build();
        var signed = AwsV4HttpSigner.create().sign(r -> r.request(unsigned)
                .payload(unsigned.contentStreamProvider().orElseThrow())
                .identity(AwsSessionCredentialsIdentity.create("ASIAIOSFODNN7EXAMPLE", SECRET,
                        "FwoGZXIvYXdzEBYaDk1+ahs/Token+With/Base64+ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijkl=="))
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(SIGNED_AT, ZoneOffset.UTC)));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("host", List.of("sts.us-east-1.amazonaws.com"));
        signed.request().forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
        request = new SignedRequest("POST", "/", null, headers);
        payloadSha256 = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        verifier = new SigV4Verifier<>(Clock.fixed(SIGNED_AT.plusSeconds(30), ZoneOffset.UTC), (key, token) -> CREDENTIAL);
        String signedHeaders = headers.get("authorization").get(0).replaceAll(".*SignedHeaders=([^,]*).*", "$1");
        if (signedHeaders.split(";").length != 6) {
            throw new IllegalStateException("expected six signed headers, got " + signedHeaders);
        }
        unsignedRequest = unsigned;
        verify();
    }

    /**
     * The peer in the same run: the AWS SDK for Java v2 signing the same request (the client's half
     * of the same canonicalization and HMAC work).
     */
    @Benchmark
    public Object sdkSignsTheSameRequest() {
        return sdkSigner.sign(r -> r.request(unsignedRequest)
                .payload(unsignedRequest.contentStreamProvider().orElseThrow())
                .identity(identity)
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(SIGNED_AT, ZoneOffset.UTC)));
    }

    @Benchmark
    public VerifiedRequest<String> verify() throws SigV4Exception {
        return verifier.verify(request, payloadSha256, STS);
    }
}
