package dev.wharf.identity;

/** The IAM entities that carry tags, and how their tags are keyed in storage. */
public enum TaggedEntity {
  /** Keyed by the user's name (lower-cased in storage). */
  USER("user", "User"),
  /** Keyed by the role's name (lower-cased in storage). */
  ROLE("role", "Role"),
  /** Keyed by the managed policy's ARN. */
  POLICY("policy", "Policy"),
  /** Keyed by the OpenID Connect provider's ARN. */
  OIDC_PROVIDER("oidc-provider", "OpenIDConnectProvider");

  private final String column;
  private final String operationName;

  TaggedEntity(String column, String operationName) {
    this.column = column;
    this.operationName = operationName;
  }

  /** How IAM's actions name the entity: iam:Tag{name}, iam:List{name}Tags. */
  public String operationName() {
    return operationName;
  }

  /** Whether the entity is keyed by its ARN (as stored) rather than by its case-insensitive name. */
  public boolean keyedByArn() {
    return this == POLICY || this == OIDC_PROVIDER;
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
