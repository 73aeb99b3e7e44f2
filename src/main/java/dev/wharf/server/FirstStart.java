package dev.wharf.server;

import java.nio.file.Path;

/** What the very first start of a data directory created; shown once, then never again. */
public record FirstStart(String accountId, String accessKeyId, Path credentialsFile, Path configFile) {}
