package dev.wharf.identity;

import dev.wharf.naming.WireNames;

/** The IAM entities that carry tags, and how their tags are keyed in storage. */
public enum TaggedEntity {
  /** Keyed by the user's name (lower-cased in storage). */
  USER,
  /** Keyed by the role's name (lower-cased in storage). */
  ROLE,
  /** Keyed by the managed policy's ARN. */
  POLICY,
  /** Keyed by the OpenID Connect provider's ARN. */
  OIDC_PROVIDER;

  /** How IAM's actions name the entity: iam:Tag{name}, iam:List{name}Tags. */
  public String operationName() {
    // IAM spells the provider out, where the constant abbreviates it
    return this == OIDC_PROVIDER ? "OpenIDConnectProvider" : WireNames.pascalCase(this);
  }

  /** Whether the entity is keyed by its ARN (as stored) rather than by its case-insensitive name. */
  public boolean keyedByArn() {
    return this == POLICY || this == OIDC_PROVIDER;
  }

  /** The value stored in the database (e.g. {@code oidc-provider}). */
  public String column() {
    return WireNames.kebabCase(this);
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
