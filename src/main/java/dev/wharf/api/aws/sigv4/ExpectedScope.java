package dev.wharf.api.aws.sigv4;

import java.util.Objects;
import java.util.Set;

/**
 * What the credential scope of a request must name to be accepted by the endpoint it reached: the
 * service that endpoint serves and the regions it answers for. AWS refuses a signature scoped to
 * another region or service even when it is otherwise valid, so that a request signed for one
 * endpoint cannot be replayed against another.
 *
 * @param service the signing name of the service the endpoint serves, e.g. {@code codeartifact}
 * @param regions the regions the endpoint accepts in a credential scope (never empty)
 */
public record ExpectedScope(String service, Set<String> regions) {

    public ExpectedScope {
        Objects.requireNonNull(service, "service");
        regions = Set.copyOf(regions);
        if (service.isEmpty() || regions.isEmpty()) {
            throw new IllegalArgumentException("an expected scope names a service and at least one region");
        }
    }

    /** Refuses a scope of another region or service, with AWS's own messages (region first, as AWS checks). */
    void check(SignatureParameters parameters) throws SigV4Exception {
        if (!regions.contains(parameters.region())) {
            throw new SigV4Exception(SigV4Exception.Reason.WRONG_CREDENTIAL_SCOPE,
                    "Credential should be scoped to a valid region.");
        }
        if (!service.equals(parameters.service())) {
            throw new SigV4Exception(SigV4Exception.Reason.WRONG_CREDENTIAL_SCOPE,
                    "Credential should be scoped to correct service: '" + service + "'.");
        }
    }
}
