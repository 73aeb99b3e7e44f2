package dev.wharf.identity;

/** The IAM entities that carry tags, and how their tags are keyed in storage. */
public enum TaggedEntity {
  /** Keyed by the user's name (lower-cased in storage). */
  USER("user"),
  /** Keyed by the role's name (lower-cased in storage). */
  ROLE("role"),
  /** Keyed by the managed policy's ARN. */
  POLICY("policy");

  private final String column;

  TaggedEntity(String column) {
    this.column = column;
  }

  /** The value stored in the database. */
  public String column() {
    return column;
  }

  /** The tagged entity of a user or role. */
  public static TaggedEntity of(PrincipalType type) {
    return switch (type) {
      case USER -> USER;
      case ROLE -> ROLE;
      case GROUP -> throw new IllegalArgumentException("IAM groups have no tags");
    };
  }
}
