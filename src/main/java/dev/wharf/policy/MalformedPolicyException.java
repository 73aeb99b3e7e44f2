package dev.wharf.policy;

/** A policy document that is not valid JSON or breaks the IAM policy grammar; the message says what is wrong. */
public final class MalformedPolicyException extends Exception {

    public MalformedPolicyException(String message) {
        super(message);
    }

    public MalformedPolicyException(String message, Throwable cause) {
        super(message, cause);
    }
}
