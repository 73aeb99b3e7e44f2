package dev.wharf.api.aws.sigv4;

import dev.wharf.api.aws.sigv4.SigV4Exception.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Parses the SigV4 Authorization header and the presigned-URL query parameters. */
final class AuthenticationParser {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String TERMINATOR = "aws4_request";
    static final long MAX_EXPIRES_SECONDS = 604_800;

    private AuthenticationParser() {}

    /** Parses {@code AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…}. */
    static SignatureParameters parseAuthorizationHeader(String header) throws SigV4Exception {
        String value = header.strip();
        int space = indexOfWhitespace(value);
        String algorithm = space < 0 ? value : value.substring(0, space);
        if (!algorithm.equals(ALGORITHM)) {
            throw unsupportedAlgorithm(algorithm);
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String component : value.substring(space < 0 ? value.length() : space).split("[,\\s]+")) {
            if (component.isEmpty()) {
                continue;
            }
            int equals = component.indexOf('=');
            if (equals <= 0) {
                throw incomplete("Authorization header component '" + safe(component, 20)
                        + "' is not of the form Name=Value.");
            }
            String name = component.substring(0, equals);
            String componentValue = component.substring(equals + 1);
            switch (name) {
                case "Credential" -> credential = once(credential, componentValue, name);
                case "SignedHeaders" -> signedHeaders = once(signedHeaders, componentValue, name);
                case "Signature" -> signature = once(signature, componentValue, name);
                default -> throw incomplete("Authorization header has an unknown component '" + safe(name, 30) + "'.");
            }
        }
        StringBuilder missing = new StringBuilder();
        requirePresent(missing, credential, "Credential");
        requirePresent(missing, signature, "Signature");
        requirePresent(missing, signedHeaders, "SignedHeaders");
        if (!missing.isEmpty()) {
            throw incomplete(missing.toString().strip());
        }
        return build(credential, signedHeaders, signature, false, null, 0);
    }

    /** Builds the parameters of a presigned request from its (decoded) X-Amz-* query values. */
    static SignatureParameters parsePresigned(
            String algorithm, String credential, String amzDate, String expires, String signedHeaders, String signature)
            throws SigV4Exception {
        StringBuilder missing = new StringBuilder();
        if (algorithm == null || credential == null || amzDate == null || expires == null || signedHeaders == null
                || signature == null) {
            missing.append("AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "
                    + "'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'. "
                    + "Re-examine the query-string parameters.");
            throw incomplete(missing.toString());
        }
        if (!algorithm.equals(ALGORITHM)) {
            throw unsupportedAlgorithm(algorithm);
        }
        long expiresSeconds;
        try {
            expiresSeconds = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            throw incomplete("X-Amz-Expires should be a number of seconds, got '" + safe(expires, 20) + "'.");
        }
        if (expiresSeconds < 1) {
            throw incomplete("X-Amz-Expires must be non-negative and not zero.");
        }
        if (expiresSeconds > MAX_EXPIRES_SECONDS) {
            throw incomplete("X-Amz-Expires must be less than a week (in seconds) that is 604800.");
        }
        return build(credential, signedHeaders, signature, true, amzDate, expiresSeconds);
    }

    private static SignatureParameters build(
            String credential, String signedHeadersText, String signature, boolean presigned, String amzDate,
            long expiresSeconds) throws SigV4Exception {
        String[] parts = credential.split("/", -1);
        if (parts.length != 5) {
            throw incomplete("Credential must have exactly 5 slash-delimited elements, "
                    + "e.g. keyid/date/region/service/term, got '" + safe(credential, 120) + "'.");
        }
        String accessKeyId = parts[0];
        String scopeDate = parts[1];
        if (accessKeyId.isEmpty()) {
            throw incomplete("Credential must name an access key id.");
        }
        if (!isEightDigitDate(scopeDate)) {
            throw incomplete("Credential date '" + safe(scopeDate, 20) + "' should be in the form yyyyMMdd.");
        }
        if (parts[2].isEmpty()) {
            throw incomplete("Credential should be scoped to a valid region.");
        }
        if (parts[3].isEmpty()) {
            throw incomplete("Credential should be scoped to correct service.");
        }
        if (!parts[4].equals(TERMINATOR)) {
            throw incomplete("Credential should be scoped with a valid terminator: 'aws4_request', not '"
                    + safe(parts[4], 30) + "'.");
        }
        if (signedHeadersText.isEmpty()) {
            throw incomplete("SignedHeaders must not be empty.");
        }
        List<String> signedHeaders = new ArrayList<>(8);
        for (String name : signedHeadersText.split(";", -1)) {
            if (name.isEmpty()) {
                throw incomplete("SignedHeaders has an empty header name.");
            }
            signedHeaders.add(name.toLowerCase(Locale.ROOT));
        }
        if (!signedHeaders.contains("host") && !signedHeaders.contains(":authority")) {
            throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        String scope = credential.substring(accessKeyId.length() + 1);
        return new SignatureParameters(accessKeyId, scopeDate, parts[2], parts[3], scope, signedHeadersText,
                List.copyOf(signedHeaders), signature, presigned, amzDate, expiresSeconds);
    }

    private static boolean isEightDigitDate(String value) {
        if (value.length() != 8) {
            return false;
        }
        for (int i = 0; i < 8; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String once(String previous, String value, String name) throws SigV4Exception {
        if (previous != null) {
            throw incomplete("Authorization header has '" + name + "' more than once.");
        }
        return value;
    }

    private static void requirePresent(StringBuilder missing, String value, String name) {
        if (value == null || value.isEmpty()) {
            missing.append("Authorization header requires '").append(name).append("' parameter. ");
        }
    }

    private static int indexOfWhitespace(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isWhitespace(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static SigV4Exception unsupportedAlgorithm(String algorithm) {
        return new SigV4Exception(Reason.UNSUPPORTED_ALGORITHM,
                "Unsupported AWS 'algorithm': '" + safe(algorithm, 40) + "'; only " + ALGORITHM + " is accepted.");
    }

    static SigV4Exception incomplete(String message) {
        return new SigV4Exception(Reason.INCOMPLETE_SIGNATURE, message);
    }

    /** Client-supplied text for a message: printable ASCII only, bounded in length. */
    static String safe(String value, int maxLength) {
        StringBuilder out = new StringBuilder(Math.min(value.length(), maxLength) + 3);
        for (int i = 0; i < value.length() && out.length() < maxLength; i++) {
            char c = value.charAt(i);
            out.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        if (value.length() > maxLength) {
            out.append("...");
        }
        return out.toString();
    }
}
