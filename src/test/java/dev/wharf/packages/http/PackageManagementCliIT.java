package dev.wharf.packages.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PublishingService;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The package management API through the real aws CLI (botocore's own model, serializer and
 * paginators): every operation once, CLI pagination over 1,050 versions, and the CLI's error
 * output for the model's error types.
 */
class PackageManagementCliIT {
  @TempDir static Path scratch;
  static TestingServer wharf;
  static TestingAwsCli aws;
  static String account;
  static PublishingService publishing;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    aws = TestingAwsCli.at(wharf.endpoint(), scratch).withKey(wharf.rootCredentials().accessKeyId(),
        wharf.rootCredentials().secretAccessKey());
    account = wharf.managementAccountId();
    publishing = wharf.server().publishing();
    var api = wharf.codeartifact(wharf.rootCredentials());
    api.createDomain(b -> b.domain("acme"));
    api.createRepository(b -> b.domain("acme").repository("app"));
    api.createRepository(b -> b.domain("acme").repository("copies"));
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static void publish(PackageKey key, String version, String metadata) {
    publishing.publish(new PublishingService.Publication(key, version, null, metadata, Map.of(), "INTERNAL"),
        List.of(new PublishingService.AssetContent("f-" + version, new ByteArrayInputStream(
            version.getBytes(StandardCharsets.UTF_8)), 100)));
  }

  private static String[] with(String operation, String... more) {
    String[] base = {"codeartifact", operation, "--domain", "acme", "--domain-owner", account};
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void theCliPaginatesListPackageVersionsOverMoreThanAThousandVersions() {
    PackageKey key = new PackageKey(account, "acme", "app", "pypi", "", "bulk");
    for (int i = 0; i < 1_050; i++) {
      publishing.publish(new PublishingService.Publication(key, "0." + i, null, "{}", Map.of(), "INTERNAL"), List.of());
    }
    JsonNode all = aws.json(with("list-package-versions", "--repository", "app", "--format", "pypi", "--package", "bulk",
        "--page-size", "100"));
    Set<String> versions = new HashSet<>();
    all.path("versions").forEach(v -> versions.add(v.path("version").asText()));
    assertThat(versions).hasSize(1_050);
    assertThat(all.path("defaultDisplayVersion").asText()).startsWith("0.");

    JsonNode first = aws.json(with("list-package-versions", "--repository", "app", "--format", "pypi", "--package",
        "bulk", "--no-paginate", "--max-results", "1000"));
    assertThat(first.path("versions")).hasSize(1000);
    JsonNode rest = aws.json(with("list-package-versions", "--repository", "app", "--format", "pypi", "--package",
        "bulk", "--no-paginate", "--max-results", "1000", "--next-token", first.path("nextToken").asText()));
    assertThat(rest.path("versions")).hasSize(50);
    assertThat(rest.has("nextToken")).isFalse();

    TestingAwsCli.Result tooMany = aws.run(with("list-package-versions", "--repository", "app", "--format", "pypi",
        "--package", "bulk", "--no-paginate", "--max-results", "1001"));
    assertThat(tooMany.exitCode()).as(tooMany.describe()).isNotZero();
    assertThat(tooMany.stderr()).contains("ValidationException");
    TestingAwsCli.Result badToken = aws.run(with("list-package-versions", "--repository", "app", "--format", "pypi",
        "--package", "bulk", "--no-paginate", "--next-token", "bm90LWEtbnVtYmVy"));
    assertThat(badToken.exitCode()).isNotZero();
    assertThat(badToken.stderr()).contains("ValidationException");
  }

  @Test
  void everyPackageOperationWorksFromTheCli() {
    PackageKey key = new PackageKey(account, "acme", "app", "npm", "acme", "cli-kit");
    publish(key, "1.0.0", "{\"name\":\"@acme/cli-kit\",\"version\":\"1.0.0\",\"description\":\"Kit\","
        + "\"homepage\":\"https://acme.example/kit\",\"license\":\"ISC\",\"readme\":\"# Kit\","
        + "\"dependencies\":{\"left-pad\":\"^1.0.0\"}}");
    publish(key, "1.1.0", "{}");
    publish(key, "1.2.0", "{}");
    String[] pkg = {"--repository", "app", "--format", "npm", "--namespace", "acme", "--package", "cli-kit"};

    JsonNode origin = aws.json(with("put-package-origin-configuration", concat(pkg, "--restrictions",
        "publish=BLOCK,upstream=ALLOW")));
    assertThat(origin.at("/originConfiguration/restrictions/publish").asText()).isEqualTo("BLOCK");
    JsonNode described = aws.json(with("describe-package", pkg));
    assertThat(described.at("/package/name").asText()).isEqualTo("cli-kit");
    assertThat(described.at("/package/originConfiguration/restrictions/publish").asText()).isEqualTo("BLOCK");
    assertThat(described.at("/package/originConfiguration/restrictions/upstream").asText()).isEqualTo("ALLOW");
    JsonNode listed = aws.json(with("list-packages", "--repository", "app", "--format", "npm"));
    assertThat(listed.at("/packages/0/originConfiguration/restrictions/publish").asText()).isEqualTo("BLOCK");

    JsonNode version = aws.json(with("describe-package-version", concat(pkg, "--package-version", "1.0.0")));
    assertThat(version.at("/packageVersion/displayName").asText()).isEqualTo("@acme/cli-kit");
    assertThat(version.at("/packageVersion/homePage").asText()).isEqualTo("https://acme.example/kit");
    assertThat(version.at("/packageVersion/licenses/0/name").asText()).isEqualTo("ISC");
    assertThat(aws.json(with("get-package-version-readme", concat(pkg, "--package-version", "1.0.0")))
        .path("readme").asText()).isEqualTo("# Kit");
    JsonNode dependencies = aws.json(with("list-package-version-dependencies", concat(pkg, "--package-version",
        "1.0.0")));
    assertThat(dependencies.at("/dependencies/0/package").asText()).isEqualTo("left-pad");
    assertThat(dependencies.at("/dependencies/0/dependencyType").asText()).isEqualTo("regular");

    JsonNode archived = aws.json(with("update-package-versions-status", concat(pkg, "--versions", "1.0.0", "9.0.0",
        "--target-status", "Archived", "--expected-status", "Published")));
    assertThat(archived.at("/successfulVersions/1.0.0/status").asText()).isEqualTo("Archived");
    assertThat(archived.at("/failedVersions/9.0.0/errorCode").asText()).isEqualTo("NOT_FOUND");
    JsonNode filtered = aws.json(with("list-package-versions", concat(pkg, "--status", "Archived")));
    assertThat(filtered.path("versions")).hasSize(1);

    JsonNode disposed = aws.json(with("dispose-package-versions", concat(pkg, "--versions", "1.0.0")));
    assertThat(disposed.at("/successfulVersions/1.0.0/status").asText()).isEqualTo("Disposed");
    assertThat(aws.json(with("list-package-version-assets", concat(pkg, "--package-version", "1.0.0")))
        .path("assets")).isEmpty();

    JsonNode copied = aws.json(with("copy-package-versions", "--source-repository", "app", "--destination-repository",
        "copies", "--format", "npm", "--namespace", "acme", "--package", "cli-kit", "--versions", "1.1.0",
        "--allow-overwrite", "--include-from-upstream"));
    assertThat(copied.at("/successfulVersions/1.1.0/status").asText()).isEqualTo("Published");

    JsonNode deleted = aws.json(with("delete-package-versions", concat(pkg, "--versions", "1.2.0")));
    assertThat(deleted.at("/successfulVersions/1.2.0/status").asText()).isEqualTo("Deleted");

    JsonNode gone = aws.json(with("delete-package", pkg));
    assertThat(gone.at("/deletedPackage/package").asText()).isEqualTo("cli-kit");
    assertThat(gone.at("/deletedPackage/originConfiguration/restrictions/publish").asText()).isEqualTo("BLOCK");
    TestingAwsCli.Result missing = aws.run(with("describe-package", pkg));
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.stderr()).contains("ResourceNotFoundException");
    TestingAwsCli.Result disposedTarget = aws.run(with("update-package-versions-status", "--repository", "copies",
        "--format", "npm", "--namespace", "acme", "--package", "cli-kit", "--versions", "1.1.0", "--target-status",
        "Disposed"));
    assertThat(disposedTarget.exitCode()).isNotZero();
    assertThat(disposedTarget.stderr()).contains("ValidationException");
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
