package dev.wharf.catalog;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** ARNs of CodeArtifact resources, as AWS spells them. */
public final class CodeArtifactArns {
  private static final Pattern DOMAIN = Pattern.compile("arn:aws:codeartifact:([a-z0-9-]+):([0-9]{12}):domain/([^/]+)");
  private static final Pattern REPOSITORY =
      Pattern.compile("arn:aws:codeartifact:([a-z0-9-]+):([0-9]{12}):repository/([^/]+)/([^/]+)");

  private CodeArtifactArns() {}

  public static String domain(String region, String owner, String domain) {
    return "arn:aws:codeartifact:" + region + ":" + owner + ":domain/" + domain;
  }

  public static String repository(String region, String owner, String domain, String repository) {
    return "arn:aws:codeartifact:" + region + ":" + owner + ":repository/" + domain + "/" + repository;
  }

  public static String packageArn(String region, String owner, String domain, String repository, String format,
      String namespace, String name) {
    return "arn:aws:codeartifact:" + region + ":" + owner + ":package/" + domain + "/" + repository + "/" + format + "/"
        + (namespace == null ? "" : namespace) + "/" + name;
  }

  /** The parts of a domain or repository ARN: owner, domain and (for repositories) repository. */
  public record Parsed(String owner, String domain, String repository) {
    public boolean isRepository() {
      return repository != null;
    }
  }

  public static Optional<Parsed> parse(String arn) {
    if (arn == null) {
      return Optional.empty();
    }
    Matcher domain = DOMAIN.matcher(arn);
    if (domain.matches()) {
      return Optional.of(new Parsed(domain.group(2), domain.group(3), null));
    }
    Matcher repository = REPOSITORY.matcher(arn);
    if (repository.matches()) {
      return Optional.of(new Parsed(repository.group(2), repository.group(3), repository.group(4)));
    }
    return Optional.empty();
  }
}
