package dev.wharf.api.aws.sigv4;

import dev.wharf.api.aws.sigv4.Canonicalizer.QueryParameter;
import dev.wharf.api.aws.sigv4.SigV4Exception.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;

/**
 * Verifies AWS Signature Version 4 (AWS4-HMAC-SHA256) on incoming requests, in the Authorization
 * header or in the query string of a presigned URL, the way AWS does for non-S3 services.
 *
 * <p>Thread-safe; one instance serves the whole server. Derived signing keys are cached (bounded),
 * so a verification costs a SHA-256 of the canonical request and one HMAC.
 *
 * @param <P> the caller's principal type, as returned by the {@link CredentialResolver}
 */
public final class SigV4Verifier<P> {

    /** How far the request time may be from the server's time. */
    static final Duration MAX_SKEW = Duration.ofMinutes(15);

    /** Payload hash presigned S3-style URLs sign instead of the body's hash. */
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

    private static final int SIGNING_KEY_CACHE_SIZE = 4096;
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final char[] HEX_LOWER = "0123456789abcdef".toCharArray();
    private static final MessageDigest SHA256_PROTOTYPE = newSha256();

    private final Clock clock;
    private final CredentialResolver<P> resolver;
    private final SigningKeyCache signingKeys = new SigningKeyCache(SIGNING_KEY_CACHE_SIZE);

    /**
     * @param clock the server's time, against which request times and presigned expiry are checked
     * @param resolver looks up the secret and principal of an access key
     */
    public SigV4Verifier(Clock clock, CredentialResolver<P> resolver) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /**
     * True when the request carries SigV4 authentication at all: an Authorization header of an
     * {@code AWS4-} algorithm, or an {@code X-Amz-Algorithm} query parameter. Such a request
     * should go to {@link #verify}, which also rejects unsupported algorithms.
     */
    public static boolean isSigned(SignedRequest request) {
        if (request == null) {
            return false;
        }
        String authorization = request.header("authorization");
        if (authorization != null && authorization.stripLeading().startsWith("AWS4-")) {
            return true;
        }
        return hasQueryParameter(request.rawQuery(), "X-Amz-Algorithm");
    }

    /**
     * Verifies the request's signature and returns who signed it.
     *
     * @param request the request as it arrived
     * @param payloadSha256Hex lower-case hex SHA-256 of the body the server received (the caller
     *     hashes it), or the value of {@code x-amz-content-sha256} when the caller streams the
     *     body and checks that hash itself; when {@code null}, the {@code x-amz-content-sha256}
     *     header is used and its absence is an error
     * @param expected the service and regions the endpoint serves: a credential scope naming another is
     *     refused, as AWS refuses it
     * @return the principal, access key, credential scope and signing time
     * @throws SigV4Exception when the request is not authentic; the message is safe to return
     *     to the client
     */
    public VerifiedRequest<P> verify(SignedRequest request, String payloadSha256Hex, ExpectedScope expected)
            throws SigV4Exception {
        Objects.requireNonNull(expected, "expected");
        return verify(request, payloadSha256Hex, expected::check);
    }

    /**
     * Verifies the signature whatever its credential scope names: for the tests of the signing algorithm
     * (AWS's test suite signs for service {@code service}), never for a request an endpoint answers.
     */
    VerifiedRequest<P> verify(SignedRequest request, String payloadSha256Hex) throws SigV4Exception {
        return verify(request, payloadSha256Hex, parameters -> { });
    }

    /** Checks a request's credential scope; throws when the endpoint does not serve it. */
    private interface ScopeCheck {
        void check(SignatureParameters parameters) throws SigV4Exception;
    }

    private VerifiedRequest<P> verify(SignedRequest request, String payloadSha256Hex, ScopeCheck scopeCheck)
            throws SigV4Exception {
        if (request == null || request.method() == null || request.method().isEmpty()) {
            throw AuthenticationParser.incomplete("The request has no HTTP method.");
        }
        List<String> authorizations = request.headers() == null ? null : request.headers().get("authorization");
        List<QueryParameter> query = Canonicalizer.parseQuery(request.rawQuery());
        boolean queryAuthentication = find(query, "X-Amz-Algorithm") != null;
        boolean headerAuthentication = authorizations != null && !authorizations.isEmpty();
        if (headerAuthentication && queryAuthentication) {
            throw AuthenticationParser.incomplete("Only one auth mechanism allowed; only the X-Amz-Algorithm query "
                    + "parameter or the Authorization header should be specified.");
        }
        if (!headerAuthentication && !queryAuthentication) {
            throw new SigV4Exception(Reason.MISSING_AUTHENTICATION, "Missing Authentication Token");
        }

        SignatureParameters parameters;
        String amzDate;
        Instant signedAt;
        if (headerAuthentication) {
            if (authorizations.size() > 1) {
                throw AuthenticationParser.incomplete("The request has more than one Authorization header.");
            }
            parameters = AuthenticationParser.parseAuthorizationHeader(Objects.requireNonNullElse(authorizations.get(0), ""));
            String amzDateHeader = request.header("x-amz-date");
            if (amzDateHeader != null) {
                requireSigned(parameters, "x-amz-date");
                amzDate = amzDateHeader.strip();
                signedAt = parseAmzDate(amzDate);
            } else {
                String dateHeader = request.header("date");
                if (dateHeader == null) {
                    throw AuthenticationParser.incomplete(
                            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
                }
                requireSigned(parameters, "date");
                signedAt = parseHttpDate(dateHeader.strip());
                amzDate = AMZ_DATE.format(signedAt);
            }
        } else {
            parameters = AuthenticationParser.parsePresigned(
                    queryValue(query, "X-Amz-Algorithm"),
                    queryValue(query, "X-Amz-Credential"),
                    queryValue(query, "X-Amz-Date"),
                    queryValue(query, "X-Amz-Expires"),
                    queryValue(query, "X-Amz-SignedHeaders"),
                    queryValue(query, "X-Amz-Signature"));
            amzDate = parameters.amzDate();
            signedAt = parseAmzDate(amzDate);
        }

        if (!amzDate.startsWith(parameters.scopeDate())) {
            throw new SigV4Exception(Reason.SIGNATURE_MISMATCH,
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"
                            + parameters.scopeDate() + "' != '" + amzDate.substring(0, 8) + "', from '" + amzDate
                            + "'.");
        }
        checkTime(signedAt, parameters);
        scopeCheck.check(parameters);

        String sessionToken = request.header("x-amz-security-token");
        if (sessionToken == null) {
            sessionToken = queryValue(query, "X-Amz-Security-Token");
        }
        if (sessionToken != null && sessionToken.isEmpty()) {
            sessionToken = null;
        }
        SigningCredential<P> credential = resolver.resolve(parameters.accessKeyId(), sessionToken);
        if (credential == null || credential.secretAccessKey() == null) {
            throw new SigV4Exception(Reason.UNKNOWN_ACCESS_KEY, "The security token included in the request is invalid.");
        }

        String payloadHash = payloadSha256Hex != null ? payloadSha256Hex : request.header("x-amz-content-sha256");
        if (payloadHash == null) {
            throw AuthenticationParser.incomplete("The request's payload hash is unknown.");
        }
        byte[] provided = decodeSignature(parameters.signature());
        Mac mac = signingKeys.signingMac(
                credential.secretAccessKey(), parameters.scopeDate(), parameters.region(), parameters.service());
        byte[] canonicalPrefix =
                canonicalRequestWithoutPayload(request, query, parameters).getBytes(StandardCharsets.UTF_8);
        boolean matches = matches(mac, amzDate, parameters, canonicalPrefix, payloadHash, provided);
        if (!matches && parameters.presigned() && !payloadHash.equals(UNSIGNED_PAYLOAD)) {
            // Presigned URLs made by S3-style signers sign UNSIGNED-PAYLOAD instead of a body hash.
            matches = matches(mac, amzDate, parameters, canonicalPrefix, UNSIGNED_PAYLOAD, provided);
        }
        if (!matches) {
            throw new SigV4Exception(Reason.SIGNATURE_MISMATCH,
                    "The request signature we calculated does not match the signature you provided. "
                            + "Check your AWS Secret Access Key and signing method. "
                            + "Consult the service documentation for details.");
        }
        return new VerifiedRequest<>(credential.principal(), parameters.accessKeyId(), parameters.region(),
                parameters.service(), signedAt, parameters.presigned());
    }

    private static boolean matches(
            Mac mac, String amzDate, SignatureParameters parameters, byte[] canonicalPrefix, String payloadHash,
            byte[] provided) {
        MessageDigest digest = sha256();
        digest.update(canonicalPrefix);
        digest.update(payloadHash.getBytes(StandardCharsets.UTF_8));
        String stringToSign = AuthenticationParser.ALGORITHM + '\n' + amzDate + '\n' + parameters.scope() + '\n'
                + hex(digest.digest());
        byte[] expected = mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8));
        // Constant time in the content; only the (public) length can end the comparison early.
        return MessageDigest.isEqual(expected, provided);
    }

    /** Method, URI, query, headers and signed headers of the canonical request, each ended by a newline. */
    static String canonicalRequestWithoutPayload(
            SignedRequest request, List<QueryParameter> query, SignatureParameters parameters) {
        StringBuilder canonical = new StringBuilder(512);
        canonical.append(request.method()).append('\n');
        Canonicalizer.appendCanonicalUri(canonical, request.rawPath());
        canonical.append('\n');
        Canonicalizer.appendCanonicalQuery(canonical, query, parameters.presigned() ? "X-Amz-Signature" : null);
        canonical.append('\n');
        Canonicalizer.appendCanonicalHeaders(canonical, parameters.signedHeaders(), request.headers());
        canonical.append('\n').append(parameters.signedHeadersText()).append('\n');
        return canonical.toString();
    }

    private void checkTime(Instant signedAt, SignatureParameters parameters) throws SigV4Exception {
        Instant now = clock.instant();
        Instant latest = now.plus(MAX_SKEW);
        if (signedAt.isAfter(latest)) {
            throw new SigV4Exception(Reason.REQUEST_TIME_SKEWED, "Signature not yet current: " + AMZ_DATE.format(signedAt)
                    + " is still later than " + AMZ_DATE.format(latest) + " (" + AMZ_DATE.format(now) + " + 15 min.)");
        }
        if (parameters.presigned()) {
            Instant expiry = signedAt.plusSeconds(parameters.expiresSeconds());
            if (now.isAfter(expiry)) {
                throw new SigV4Exception(Reason.PRESIGNED_URL_EXPIRED, "Request has expired: signed at "
                        + AMZ_DATE.format(signedAt) + " for " + parameters.expiresSeconds() + " seconds, expired at "
                        + AMZ_DATE.format(expiry) + ", now " + AMZ_DATE.format(now) + ".");
            }
            return;
        }
        Instant earliest = now.minus(MAX_SKEW);
        if (signedAt.isBefore(earliest)) {
            throw new SigV4Exception(Reason.REQUEST_TIME_SKEWED, "Signature expired: " + AMZ_DATE.format(signedAt)
                    + " is now earlier than " + AMZ_DATE.format(earliest) + " (" + AMZ_DATE.format(now) + " - 15 min.)");
        }
    }

    private static void requireSigned(SignatureParameters parameters, String header) throws SigV4Exception {
        if (!parameters.signedHeaders().contains(header)) {
            throw AuthenticationParser.incomplete("'" + header + "' is used for the request time and must be a "
                    + "'SignedHeader' in the AWS Authorization.");
        }
    }

    /** Parses yyyyMMdd'T'HHmmss'Z'. */
    static Instant parseAmzDate(String value) throws SigV4Exception {
        if (value.length() == 16 && value.charAt(8) == 'T' && value.charAt(15) == 'Z') {
            try {
                return LocalDateTime.of(digits(value, 0, 4), digits(value, 4, 6), digits(value, 6, 8),
                                digits(value, 9, 11), digits(value, 11, 13), digits(value, 13, 15))
                        .toInstant(ZoneOffset.UTC);
            } catch (DateTimeException | NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw AuthenticationParser.incomplete("Date must be in ISO-8601 'basic format'. Got '"
                + AuthenticationParser.safe(value, 40) + "'. See http://en.wikipedia.org/wiki/ISO_8601");
    }

    private static Instant parseHttpDate(String value) throws SigV4Exception {
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeException e) {
            throw AuthenticationParser.incomplete("Date header must be an RFC 1123 date. Got '"
                    + AuthenticationParser.safe(value, 40) + "'.");
        }
    }

    private static int digits(String value, int from, int to) {
        int result = 0;
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException();
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    private static QueryParameter find(List<QueryParameter> query, String name) {
        for (QueryParameter parameter : query) {
            if (parameter.name().equals(name)) {
                return parameter;
            }
        }
        return null;
    }

    /** The decoded value of a query parameter that must appear at most once. */
    private static String queryValue(List<QueryParameter> query, String name) throws SigV4Exception {
        QueryParameter found = null;
        for (QueryParameter parameter : query) {
            if (parameter.name().equals(name)) {
                if (found != null) {
                    throw AuthenticationParser.incomplete("Query parameter '" + name + "' appears more than once.");
                }
                found = parameter;
            }
        }
        if (found == null) {
            return null;
        }
        String decoded = Canonicalizer.percentDecode(found.rawValue());
        if (decoded == null) {
            throw AuthenticationParser.incomplete("Query parameter '" + name + "' is not properly percent-encoded.");
        }
        return decoded;
    }

    private static boolean hasQueryParameter(String rawQuery, String name) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return false;
        }
        for (QueryParameter parameter : Canonicalizer.parseQuery(rawQuery)) {
            if (parameter.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** Hex to bytes; a malformed value yields an empty array, which matches nothing. */
    private static byte[] decodeSignature(String hex) {
        if (hex.length() != 64) {
            return new byte[0];
        }
        byte[] result = new byte[32];
        for (int i = 0; i < 32; i++) {
            int high = Canonicalizer.hexValue(hex.charAt(2 * i));
            int low = Canonicalizer.hexValue(hex.charAt(2 * i + 1));
            if (high < 0 || low < 0) {
                return new byte[0];
            }
            result[i] = (byte) ((high << 4) | low);
        }
        return result;
    }

    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX_LOWER[(bytes[i] >> 4) & 0xF];
            out[2 * i + 1] = HEX_LOWER[bytes[i] & 0xF];
        }
        return new String(out);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    @Override
    public String toString() {
        return "SigV4Verifier[clock=" + clock + "]";
    }
}
