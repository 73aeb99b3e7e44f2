package dev.wharf.api.aws.sigv4;

/**
 * Looks up the secret of an access key for {@link SigV4Verifier}.
 *
 * @param <P> the caller's principal type
 */
@FunctionalInterface
public interface CredentialResolver<P> {

    /**
     * Resolves an access key id (and, for temporary credentials, its session token).
     *
     * @param accessKeyId the access key id from the request's credential scope
     * @param sessionToken the {@code X-Amz-Security-Token} of the request, {@code null} for long-term keys
     * @return the key's secret and principal
     * @throws SigV4Exception with reason {@link SigV4Exception.Reason#UNKNOWN_ACCESS_KEY},
     *     {@link SigV4Exception.Reason#INVALID_SESSION_TOKEN}, {@link SigV4Exception.Reason#EXPIRED_TOKEN}
     *     or {@link SigV4Exception.Reason#INACTIVE_ACCESS_KEY}
     */
    SigningCredential<P> resolve(String accessKeyId, String sessionToken) throws SigV4Exception;
}
