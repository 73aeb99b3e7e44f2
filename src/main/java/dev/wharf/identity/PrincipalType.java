package dev.wharf.identity;

/** The kinds of IAM entity that carry policies: users and roles, and groups, whose policies apply to their users. */
public enum PrincipalType {
  USER("user", "User"),
  ROLE("role", "Role"),
  GROUP("group", "Group");

  private final String column;
  private final String operationName;

  PrincipalType(String column, String operationName) {
    this.column = column;
    this.operationName = operationName;
  }

  /** The value stored in the database (and the word in IAM's messages: "The user with name …"). */
  public String column() {
    return column;
  }

  /** The word in IAM's operation and parameter names: PutUserPolicy, RoleName, ListAttachedGroupPolicies. */
  public String operationName() {
    return operationName;
  }
}
