package dev.wharf.catalog;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ARNs of CodeArtifact resources, as AWS spells them. */
public final class CodeArtifactArns {
  private static final Pattern DOMAIN = Pattern.compile("arn:aws:codeartifact:([a-z0-9-]+):([0-9]{12}):domain/([^/]+)");
  private static final Pattern REPOSITORY =
      Pattern.compile("arn:aws:codeartifact:([a-z0-9-]+):([0-9]{12}):repository/([^/]+)/([^/]+)");

  private static final Pattern PACKAGE_GROUP =
      Pattern.compile("arn:aws:codeartifact:([a-z0-9-]+):([0-9]{12}):package-group/([^/]+)/([^/]+)");

  private CodeArtifactArns() {}

  public static String domain(String region, String owner, String domain) {
    return "arn:aws:codeartifact:" + region + ":" + owner + ":domain/" + domain;
  }

  public static String repository(String region, String owner, String domain, String repository) {
    return "arn:aws:codeartifact:" + region + ":" + owner + ":repository/" + domain + "/" + repository;
  }

  /** A package group's ARN: the pattern is percent-encoded (UTF-8), every character but letters, digits and -._. */
  public static String packageGroup(String region, String owner, String domain, String pattern) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
          || c == '_') {
        encoded.append(c);
      } else {
        encoded.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return "arn:aws:codeartifact:" + region + ":" + owner + ":package-group/" + domain + "/" + encoded;
  }

  public static String packageArn(String region, String owner, String domain, String repository, String format,
      String namespace, String name) {
    return "arn:aws:codeartifact:" + region + ":" + owner + ":package/" + domain + "/" + repository + "/" + format + "/"
        + (namespace == null ? "" : namespace) + "/" + name;
  }

  /** Every package of a format in a repository, as an ARN pattern: {@code ...:package/DOMAIN/REPOSITORY/FORMAT/*}. */
  public static String packagesArn(String region, String owner, String domain, String repository, String format) {
    return "arn:aws:codeartifact:" + region + ":" + owner + ":package/" + domain + "/" + repository + "/" + format + "/*";
  }

  /**
   * The parts of a domain, repository or package group ARN: owner, domain, and the repository or the (decoded)
   * package group pattern.
   */
  public record Parsed(String owner, String domain, String repository, String packageGroup) {
    public boolean isRepository() {
      return repository != null;
    }

    public boolean isPackageGroup() {
      return packageGroup != null;
    }
  }

  public static Optional<Parsed> parse(String arn) {
    if (arn == null) {
      return Optional.empty();
    }
    Matcher domain = DOMAIN.matcher(arn);
    if (domain.matches()) {
      return Optional.of(new Parsed(domain.group(2), domain.group(3), null, null));
    }
    Matcher repository = REPOSITORY.matcher(arn);
    if (repository.matches()) {
      return Optional.of(new Parsed(repository.group(2), repository.group(3), repository.group(4), null));
    }
    Matcher group = PACKAGE_GROUP.matcher(arn);
    if (group.matches()) {
      try {
        String pattern = java.net.URLDecoder.decode(group.group(4).replace("+", "%2B"),
            java.nio.charset.StandardCharsets.UTF_8);
        return Optional.of(new Parsed(group.group(2), group.group(3), null, pattern));
      } catch (IllegalArgumentException badEscape) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
