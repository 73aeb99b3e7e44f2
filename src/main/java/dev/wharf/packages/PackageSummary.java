package dev.wharf.packages;

import java.time.Instant;

/** A package as listed: its key and when it was created and last changed. */
public record PackageSummary(PackageKey key, Instant createdAt, Instant modifiedAt) {}
