package dev.wharf.identity;

import java.time.Instant;

/** One version of a managed policy (v1, v2, …); the default one is the one evaluated. */
public record PolicyVersion(String policyArn, String versionId, String document, boolean defaultVersion,
    Instant createdAt) {}
