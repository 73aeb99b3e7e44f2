package dev.wharf.catalog;

/** A key-value tag on a domain or repository. */
public record Tag(String key, String value) {}
