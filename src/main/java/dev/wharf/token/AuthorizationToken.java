package dev.wharf.token;

import dev.wharf.identity.Principal;
import java.time.Instant;

/** A verified authorization token: who it acts as, for which domain, until when. */
public record AuthorizationToken(String tokenId, Principal principal, String domainOwner, String domainName,
    Instant issuedAt, Instant expiresAt, String keyId) {}
