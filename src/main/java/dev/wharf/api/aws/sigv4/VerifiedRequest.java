package dev.wharf.api.aws.sigv4;

import java.time.Instant;

/**
 * The outcome of a successful signature verification. Region and service are those of the
 * credential scope; they are reported, not checked: the caller decides whether they fit.
 *
 * @param principal the principal the resolver returned for the access key
 * @param accessKeyId the access key id that signed the request
 * @param region the region of the credential scope
 * @param service the service of the credential scope
 * @param signedAt the request's signing time ({@code X-Amz-Date} or {@code Date})
 * @param presigned whether the signature came in the query string rather than the Authorization header
 * @param <P> the caller's principal type
 */
public record VerifiedRequest<P>(
        P principal, String accessKeyId, String region, String service, Instant signedAt, boolean presigned) {}
