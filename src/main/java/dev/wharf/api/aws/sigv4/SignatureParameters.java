package dev.wharf.api.aws.sigv4;

import java.util.List;

/**
 * The SigV4 authentication data of a request, from its Authorization header or its query string.
 *
 * @param accessKeyId the access key id of the credential scope
 * @param scopeDate the yyyyMMdd date of the credential scope
 * @param region the region of the credential scope
 * @param service the service of the credential scope
 * @param scope the full credential scope ({@code date/region/service/aws4_request})
 * @param signedHeadersText the SignedHeaders value as sent (it goes verbatim into the canonical request)
 * @param signedHeaders the signed header names, lower case, in the order sent
 * @param signature the hex signature as sent
 * @param presigned whether the data came from the query string
 * @param amzDate the X-Amz-Date query parameter of a presigned request, {@code null} otherwise
 * @param expiresSeconds the X-Amz-Expires of a presigned request, 0 otherwise
 */
record SignatureParameters(
        String accessKeyId,
        String scopeDate,
        String region,
        String service,
        String scope,
        String signedHeadersText,
        List<String> signedHeaders,
        String signature,
        boolean presigned,
        String amzDate,
        long expiresSeconds) {

    @Override
    public String toString() {
        return "SignatureParameters[accessKeyId=" + accessKeyId + ", scope=" + scope + ", signedHeaders="
                + signedHeadersText + ", presigned=" + presigned + "]";
    }
}
