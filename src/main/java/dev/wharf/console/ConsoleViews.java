package dev.wharf.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the console's templates show, read from the operations' answers: plain records, so a template
 * names fields the compiler checks. Every text here comes from users or clients and is escaped by the
 * templates (jte's HTML content type), never trusted.
 */
public final class ConsoleViews {
  private ConsoleViews() {}

  /** Console URL paths, each segment percent-encoded. */
  public static final class Paths {
    private Paths() {}

    public static String segment(String value) {
      return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public static String domains() {
      return ConsoleEndpoints.PREFIX + "/domains";
    }

    public static String domain(String owner, String domain) {
      return domains() + "/" + segment(owner) + "/" + segment(domain);
    }

    public static String repository(String owner, String domain, String repository) {
      return domain(owner, domain) + "/repositories/" + segment(repository);
    }

    public static String connect(String owner, String domain, String repository) {
      return repository(owner, domain, repository) + "/connect";
    }

    public static String pkg(String owner, String domain, String repository, String format, String namespace,
        String name) {
      return repository(owner, domain, repository) + "/packages/" + segment(format) + "/"
          + (namespace == null || namespace.isEmpty() ? NO_NAMESPACE : segment(namespace)) + "/" + segment(name);
    }

    public static String version(PackageRef ref, String version) {
      return pkg(ref.owner(), ref.domain(), ref.repository(), ref.format(), ref.namespace(), ref.name())
          + "/versions/" + segment(version);
    }

    public static String asset(PackageRef ref, String version, String asset) {
      return version(ref, version) + "/assets/" + segment(asset);
    }
  }

  /** The path segment that stands for "no namespace". */
  static final String NO_NAMESPACE = "-";

  public record DomainRow(String name, String owner, String status, String createdTime) {
    public String path() {
      return Paths.domain(owner, name);
    }
  }

  public record Domain(String name, String owner, String status, String arn, long repositoryCount,
      long assetSizeBytes, String createdTime) {
    public String path() {
      return Paths.domain(owner, name);
    }
  }

  public record RepositoryRow(String name, String owner, String domain, String description) {
    public String path() {
      return Paths.repository(owner, domain, name);
    }
  }

  public record Repository(String name, String owner, String domain, String description, String arn,
      List<String> upstreams, List<String> externalConnections) {
    public String path() {
      return Paths.repository(owner, domain, name);
    }

    public String connectPath() {
      return Paths.connect(owner, domain, name);
    }

    public String domainPath() {
      return Paths.domain(owner, domain);
    }
  }

  /**
   * A package within a repository: where it is and what it is called ({@code displayName}: as its format's clients
   * write it, {@code PackageFormat.displayName}).
   */
  public record PackageRef(String owner, String domain, String repository, String format, String namespace,
      String name, String displayName) {

    public String path() {
      return Paths.pkg(owner, domain, repository, format, namespace, name);
    }

    public String repositoryPath() {
      return Paths.repository(owner, domain, repository);
    }

    public String domainPath() {
      return Paths.domain(owner, domain);
    }
  }

  /**
   * A repository of an upstream graph: its depth below the repository shown (1: a direct upstream), its external
   * connection, and whether the principal may see it.
   */
  public record GraphNode(String name, int depth, String externalConnection, String path, boolean visible) {}

  public record VersionRow(String version, String status, String origin, String path) {}

  public record AssetRow(String name, long size, String sha256, String downloadPath) {}

  public record DependencyRow(String name, String range, String type) {}

  /** A live authorization token, as ListAuthorizationTokens lists it (never the token itself). */
  public record TokenRow(String id, String principal, String domainOwner, String domain, String issuedAt,
      String expiresAt, String lastUsedAt) {
    public String revokePath() {
      return ConsoleEndpoints.PREFIX + "/tokens/" + Paths.segment(id) + "/revoke";
    }
  }

  /** An audit event, as LookupAuditEvents answers it. */
  public record AuditRow(String time, String principal, String action, String resource, String outcome,
      String errorCode, String sourceIp, String decidedBy, String count) {}

}
