package dev.wharf.identity;

import java.util.Objects;

/** An IAM tag: a key (unique per entity regardless of case) and its value (may be empty). */
public record Tag(String key, String value) {
  public Tag {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
