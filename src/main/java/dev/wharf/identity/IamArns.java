package dev.wharf.identity;

/** ARNs of IAM entities. */
public final class IamArns {
  private IamArns() {}

  public static String user(String accountId, String path, String name) {
    return "arn:aws:iam::" + accountId + ":user" + path + name;
  }

  public static String role(String accountId, String path, String name) {
    return "arn:aws:iam::" + accountId + ":role" + path + name;
  }

  public static String group(String accountId, String path, String name) {
    return "arn:aws:iam::" + accountId + ":group" + path + name;
  }

  public static String policy(String accountId, String path, String name) {
    return "arn:aws:iam::" + accountId + ":policy" + path + name;
  }

  public static String root(String accountId) {
    return "arn:aws:iam::" + accountId + ":root";
  }
}
