package dev.wharf.api.aws.sigv4;

import dev.wharf.api.aws.sigv4.SigV4Exception.Reason;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** An in-memory resolver: long-term keys, session keys with their token, inactive and expired keys. */
final class TestingCredentialResolver implements CredentialResolver<String> {

    private record Entry(String secret, String principal, String sessionToken, boolean inactive, boolean expired) {}

    private final Map<String, Entry> keys = new ConcurrentHashMap<>();

    TestingCredentialResolver withKey(String accessKeyId, String secret, String principal) {
        keys.put(accessKeyId, new Entry(secret, principal, null, false, false));
        return this;
    }

    TestingCredentialResolver withSessionKey(String accessKeyId, String secret, String sessionToken, String principal) {
        keys.put(accessKeyId, new Entry(secret, principal, sessionToken, false, false));
        return this;
    }

    TestingCredentialResolver withInactiveKey(String accessKeyId, String secret) {
        keys.put(accessKeyId, new Entry(secret, "inactive", null, true, false));
        return this;
    }

    TestingCredentialResolver withExpiredSessionKey(String accessKeyId, String secret, String sessionToken) {
        keys.put(accessKeyId, new Entry(secret, "expired", sessionToken, false, true));
        return this;
    }

    @Override
    public SigningCredential<String> resolve(String accessKeyId, String sessionToken) throws SigV4Exception {
        Entry entry = keys.get(accessKeyId);
        if (entry == null) {
            throw new SigV4Exception(Reason.UNKNOWN_ACCESS_KEY, "The security token included in the request is invalid.");
        }
        if (entry.inactive()) {
            throw new SigV4Exception(Reason.INACTIVE_ACCESS_KEY, "The access key is inactive.");
        }
        if (entry.sessionToken() != null && !Objects.equals(entry.sessionToken(), sessionToken)) {
            throw new SigV4Exception(Reason.INVALID_SESSION_TOKEN, "The security token included in the request is invalid.");
        }
        if (entry.sessionToken() == null && sessionToken != null) {
            throw new SigV4Exception(Reason.INVALID_SESSION_TOKEN, "The security token included in the request is invalid.");
        }
        if (entry.expired()) {
            throw new SigV4Exception(Reason.EXPIRED_TOKEN, "The security token included in the request is expired");
        }
        return new SigningCredential<>(entry.secret(), entry.principal());
    }
}
