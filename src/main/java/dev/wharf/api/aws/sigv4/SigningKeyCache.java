package dev.wharf.api.aws.sigv4;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derived SigV4 signing keys (kSigning = HMAC chain over date, region, service, aws4_request),
 * kept as ready-initialized {@link Mac} prototypes so a verification costs one clone and one
 * HMAC instead of five HMACs. Bounded; entries are keyed by the secret itself, so a rotated or
 * deleted secret simply stops being looked up and ages out.
 */
final class SigningKeyCache {

    static final String HMAC_SHA256 = "HmacSHA256";

    private record Key(String secret, String date, String region, String service) {
        @Override
        public String toString() {
            return "Key[" + date + "/" + region + "/" + service + "]";
        }
    }

    private final Cache<Key, Mac> prototypes;

    SigningKeyCache(long maximumSize) {
        this.prototypes = Caffeine.newBuilder().maximumSize(maximumSize).build();
    }

    /** A fresh Mac keyed with the signing key for the scope, ready for the string to sign. */
    Mac signingMac(String secret, String date, String region, String service) {
        Mac prototype = prototypes.get(new Key(secret, date, region, service),
                key -> deriveSigningMac(key.secret(), key.date(), key.region(), key.service()));
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            return deriveSigningMac(secret, date, region, service);
        }
    }

    static Mac deriveSigningMac(String secret, String date, String region, String service) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, AuthenticationParser.TERMINATOR);
        return newMac(key);
    }

    private static byte[] hmac(byte[] key, String data) {
        return newMac(key).doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(key, HMAC_SHA256));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}
