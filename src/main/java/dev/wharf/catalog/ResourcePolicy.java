package dev.wharf.catalog;

/** A domain's or repository's permissions policy and its revision (for optimistic locking). */
public record ResourcePolicy(String resourceArn, String revision, String document) {}
