package dev.wharf.catalog;

import java.time.Instant;

/** A CodeArtifact domain: owned by an account, holds repositories. */
public record Domain(String owner, String name, String arn, String encryptionKey, Instant createdAt, int repositoryCount) {}
