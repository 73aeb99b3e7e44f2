package dev.wharf.identity;

import dev.wharf.naming.WireNames;

/** The kinds of IAM entity that carry policies: users and roles, and groups, whose policies apply to their users. */
public enum PrincipalType {
  USER,
  ROLE,
  GROUP;

  /** The value stored in the database (and the word in IAM's messages: "The user with name …"). */
  public String column() {
    return WireNames.kebabCase(this);
  }

  /** The word in IAM's operation and parameter names: PutUserPolicy, RoleName, ListAttachedGroupPolicies. */
  public String operationName() {
    return WireNames.pascalCase(this);
  }
}
