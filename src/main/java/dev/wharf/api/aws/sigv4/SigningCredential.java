package dev.wharf.api.aws.sigv4;

/**
 * The secret an access key signs with, and the principal the key stands for.
 *
 * @param secretAccessKey the secret access key (never logged, never put into messages)
 * @param principal whatever the caller wants back from a successful verification
 * @param <P> the caller's principal type
 */
public record SigningCredential<P>(String secretAccessKey, P principal) {

    @Override
    public String toString() {
        return "SigningCredential[secretAccessKey=<redacted>, principal=" + principal + "]";
    }
}
