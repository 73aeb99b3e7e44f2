package dev.wharf.packages;

/** A file of a package version; its content is the blob named by {@code sha256}. */
public record PackageAsset(String name, String sha256, long size, String md5, String sha1, String sha512) {}
