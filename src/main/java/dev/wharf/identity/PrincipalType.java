package dev.wharf.identity;

/** The two kinds of IAM entity that carry policies. */
public enum PrincipalType {
  USER("user"),
  ROLE("role");

  private final String column;

  PrincipalType(String column) {
    this.column = column;
  }

  /** The value stored in the database. */
  public String column() {
    return column;
  }
}
