package dev.wharf.catalog.http;

import static dev.wharf.testing.TestingAwsCli.assertServiceError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wharf.testing.TestingAwsCli;
import dev.wharf.testing.TestingServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CodeArtifact package groups with the real {@code aws} CLI: every operation, the root group of each domain, the
 * parent/child tree, most-specific association, origin restrictions with INHERIT and allowed repositories, tags,
 * and AWS's errors for bad patterns. Each test works on its own domain, so they share one server.
 */
class PackageGroupsCliIT {
  @TempDir static Path scratch;
  static TestingServer wharf;
  static TestingAwsCli root;
  static String account;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    account = wharf.managementAccountId();
    root = TestingAwsCli.at(wharf.endpoint(), scratch)
        .withKey(wharf.rootCredentials().accessKeyId(), wharf.rootCredentials().secretAccessKey());
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static JsonNode groupCommand(String command, String domain, String pattern, String... more) {
    List<String> args = new ArrayList<>(List.of("codeartifact", command, "--domain", domain, "--package-group", pattern));
    args.addAll(List.of(more));
    return root.json(args.toArray(String[]::new));
  }

  private static JsonNode create(String domain, String pattern, String... more) {
    return groupCommand("create-package-group", domain, pattern, more).path("packageGroup");
  }

  private static JsonNode describe(String domain, String pattern) {
    return groupCommand("describe-package-group", domain, pattern).path("packageGroup");
  }

  private static List<String> patterns(JsonNode groups) {
    List<String> patterns = new ArrayList<>();
    groups.forEach(group -> patterns.add(group.path("pattern").asText()));
    return patterns;
  }

  private static void publishGeneric(String domain, String repository, String namespace, String name) {
    try {
      Path asset = Files.writeString(scratch.resolve(namespace + "-" + name + ".txt"), namespace + "/" + name);
      String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(namespace.concat("/").concat(name).getBytes(StandardCharsets.UTF_8)));
      root.json("codeartifact", "publish-package-version", "--domain", domain, "--repository", repository,
          "--format", "generic", "--namespace", namespace, "--package", name, "--package-version", "1.0.0",
          "--asset-content", asset.toString(), "--asset-name", name + ".txt", "--asset-sha256", sha256);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyDomainHasTheRootGroupWhichAllowsEverythingAndCannotBeDeleted() {
    root.json("codeartifact", "create-domain", "--domain", "rooted");
    JsonNode list = root.json("codeartifact", "list-package-groups", "--domain", "rooted");
    assertThat(patterns(list.path("packageGroups"))).containsExactly("/*");

    JsonNode group = describe("rooted", "/*");
    assertThat(group.path("arn").asText())
        .isEqualTo("arn:aws:codeartifact:us-east-1:" + account + ":package-group/rooted/%2F%2A");
    assertThat(group.path("domainOwner").asText()).isEqualTo(account);
    assertThat(group.has("parent")).isFalse();
    for (String type : List.of("PUBLISH", "EXTERNAL_UPSTREAM", "INTERNAL_UPSTREAM")) {
      JsonNode restriction = group.path("originConfiguration").path("restrictions").path(type);
      assertThat(restriction.path("mode").asText()).as(type).isEqualTo("ALLOW");
      assertThat(restriction.path("effectiveMode").asText()).as(type).isEqualTo("ALLOW");
    }
    assertServiceError(root.run("codeartifact", "delete-package-group", "--domain", "rooted", "--package-group", "/*"),
        "ValidationException");
    assertServiceError(root.run("codeartifact", "update-package-group-origin-configuration", "--domain", "rooted",
        "--package-group", "/*", "--restrictions", "PUBLISH=INHERIT"), "ValidationException");
  }

  @Test
  void groupsFormATreeAndADeletedGroupHandsItsChildrenToItsParent() {
    root.json("codeartifact", "create-domain", "--domain", "tree");
    JsonNode npm = create("tree", "/npm/*", "--description", "all of npm", "--contact-info", "npm@example.com");
    assertThat(npm.path("parent").path("pattern").asText()).isEqualTo("/*");
    assertThat(npm.path("description").asText()).isEqualTo("all of npm");
    assertThat(npm.path("contactInfo").asText()).isEqualTo("npm@example.com");
    create("tree", "/npm/@scope/*");
    create("tree", "/npm/scope/ui$");
    create("tree", "/pypi//requests$");

    assertThat(describe("tree", "/npm/scope/ui$").path("parent").path("pattern").asText()).isEqualTo("/npm/scope/*");
    assertThat(describe("tree", "/npm/scope/*").path("parent").path("pattern").asText()).isEqualTo("/npm/*");
    assertThat(describe("tree", "/pypi//requests$").path("parent").path("pattern").asText()).isEqualTo("/*");
    assertThat(patterns(groupCommand("list-sub-package-groups", "tree", "/*").path("packageGroups")))
        .containsExactly("/npm/*", "/pypi//requests$");
    assertThat(patterns(groupCommand("list-sub-package-groups", "tree", "/npm/*").path("packageGroups")))
        .containsExactly("/npm/scope/*");
    assertThat(patterns(root.json("codeartifact", "list-package-groups", "--domain", "tree", "--prefix", "/npm/")
        .path("packageGroups"))).containsExactly("/npm/*", "/npm/scope/*", "/npm/scope/ui$");

    JsonNode updated = groupCommand("update-package-group", "tree", "/npm/*", "--description", "npm, reviewed")
        .path("packageGroup");
    assertThat(updated.path("description").asText()).isEqualTo("npm, reviewed");
    assertThat(updated.path("contactInfo").asText()).isEqualTo("npm@example.com");

    JsonNode deleted = groupCommand("delete-package-group", "tree", "/npm/scope/*").path("packageGroup");
    assertThat(deleted.path("pattern").asText()).isEqualTo("/npm/scope/*");
    assertThat(describe("tree", "/npm/scope/ui$").path("parent").path("pattern").asText()).isEqualTo("/npm/*");
    assertServiceError(root.run("codeartifact", "describe-package-group", "--domain", "tree", "--package-group",
        "/npm/scope/*"), "ResourceNotFoundException");
  }

  @Test
  void aPackageBelongsToItsMostSpecificGroup() {
    root.json("codeartifact", "create-domain", "--domain", "matching");
    root.json("codeartifact", "create-repository", "--domain", "matching", "--repository", "files");
    create("matching", "/generic/*");
    create("matching", "/generic/acme~");
    create("matching", "/generic/acme/*");
    create("matching", "/generic/acme/to~");
    create("matching", "/generic/acme/tool$");

    String[][] expectations = {
        {"acme", "tool", "/generic/acme/tool$"}, {"acme", "toolbox", "/generic/acme/to~"},
        {"acme", "lib", "/generic/acme/*"}, {"acme-labs", "lib", "/generic/acme~"}, {"other", "lib", "/generic/*"}};
    for (String[] expected : expectations) {
      JsonNode associated = root.json("codeartifact", "get-associated-package-group", "--domain", "matching",
          "--format", "generic", "--namespace", expected[0], "--package", expected[1]);
      assertThat(associated.path("packageGroup").path("pattern").asText()).as(expected[0] + "/" + expected[1])
          .isEqualTo(expected[2]);
      assertThat(associated.path("associationType").asText()).isEqualTo("STRONG");
    }
    assertThat(root.json("codeartifact", "get-associated-package-group", "--domain", "matching", "--format", "npm",
        "--package", "left-pad").path("packageGroup").path("pattern").asText()).isEqualTo("/*");

    publishGeneric("matching", "files", "acme", "tool");
    publishGeneric("matching", "files", "acme", "lib");
    publishGeneric("matching", "files", "other", "lib");
    JsonNode associated = groupCommand("list-associated-packages", "matching", "/generic/acme/*");
    assertThat(associated.path("packages")).hasSize(1);
    assertThat(associated.path("packages").get(0).path("namespace").asText()).isEqualTo("acme");
    assertThat(associated.path("packages").get(0).path("package").asText()).isEqualTo("lib");
    assertThat(associated.path("packages").get(0).path("associationType").asText()).isEqualTo("STRONG");

    JsonNode preview = groupCommand("list-associated-packages", "matching", "/generic/other/*", "--preview");
    assertThat(preview.path("packages")).hasSize(1);
    assertThat(preview.path("packages").get(0).path("namespace").asText()).isEqualTo("other");
    assertServiceError(root.run("codeartifact", "list-associated-packages", "--domain", "matching", "--package-group",
        "/generic/other/*"), "ResourceNotFoundException");
  }

  @Test
  void originRestrictionsAreInheritedAndListTheirAllowedRepositories() {
    root.json("codeartifact", "create-domain", "--domain", "origins");
    root.json("codeartifact", "create-repository", "--domain", "origins", "--repository", "trusted");
    create("origins", "/npm/*");
    create("origins", "/npm/scope/*");

    JsonNode fresh = describe("origins", "/npm/scope/*").path("originConfiguration").path("restrictions");
    assertThat(fresh.path("PUBLISH").path("mode").asText()).isEqualTo("INHERIT");
    assertThat(fresh.path("PUBLISH").path("effectiveMode").asText()).isEqualTo("ALLOW");
    assertThat(fresh.path("PUBLISH").path("inheritedFrom").path("pattern").asText()).isEqualTo("/*");

    JsonNode updated = groupCommand("update-package-group-origin-configuration", "origins", "/npm/*",
        "--restrictions", "PUBLISH=ALLOW_SPECIFIC_REPOSITORIES,EXTERNAL_UPSTREAM=BLOCK",
        "--add-allowed-repositories", "[{\"repositoryName\":\"trusted\",\"originRestrictionType\":\"PUBLISH\"}]");
    assertThat(updated.path("allowedRepositoryUpdates").path("PUBLISH").path("ADDED").get(0).asText())
        .isEqualTo("trusted");
    JsonNode own = updated.path("packageGroup").path("originConfiguration").path("restrictions");
    assertThat(own.path("PUBLISH").path("mode").asText()).isEqualTo("ALLOW_SPECIFIC_REPOSITORIES");
    assertThat(own.path("PUBLISH").path("repositoriesCount").asLong()).isEqualTo(1);
    assertThat(own.path("EXTERNAL_UPSTREAM").path("mode").asText()).isEqualTo("BLOCK");
    assertThat(own.path("INTERNAL_UPSTREAM").path("mode").asText()).isEqualTo("INHERIT");

    JsonNode child = describe("origins", "/npm/scope/*").path("originConfiguration").path("restrictions");
    assertThat(child.path("PUBLISH").path("effectiveMode").asText()).isEqualTo("ALLOW_SPECIFIC_REPOSITORIES");
    assertThat(child.path("PUBLISH").path("inheritedFrom").path("pattern").asText()).isEqualTo("/npm/*");
    assertThat(child.path("EXTERNAL_UPSTREAM").path("effectiveMode").asText()).isEqualTo("BLOCK");

    assertThat(groupCommand("list-allowed-repositories-for-group", "origins", "/npm/*", "--origin-restriction-type",
        "PUBLISH").path("allowedRepositories")).extracting(JsonNode::asText).containsExactly("trusted");
    assertThat(groupCommand("list-allowed-repositories-for-group", "origins", "/npm/*", "--origin-restriction-type",
        "INTERNAL_UPSTREAM").path("allowedRepositories")).isEmpty();

    groupCommand("update-package-group-origin-configuration", "origins", "/npm/*",
        "--remove-allowed-repositories", "[{\"repositoryName\":\"trusted\",\"originRestrictionType\":\"PUBLISH\"}]");
    assertThat(groupCommand("list-allowed-repositories-for-group", "origins", "/npm/*", "--origin-restriction-type",
        "PUBLISH").path("allowedRepositories")).isEmpty();
    assertServiceError(root.run("codeartifact", "update-package-group-origin-configuration", "--domain", "origins",
        "--package-group", "/npm/*", "--add-allowed-repositories",
        "[{\"repositoryName\":\"missing\",\"originRestrictionType\":\"PUBLISH\"}]"), "ResourceNotFoundException");
  }

  @Test
  void badPatternsDuplicatesAndMissingGroupsGetAwsErrors() {
    root.json("codeartifact", "create-domain", "--domain", "errors");
    for (String pattern : List.of("/npm", "/npm/scope", "/npm/scope/name", "npm/*", "/cobol/*", "/npm/a/b/c$",
        "/npm/sc*pe/*")) {
      assertServiceError(root.run("codeartifact", "create-package-group", "--domain", "errors", "--package-group",
          pattern), "ValidationException");
    }
    create("errors", "/npm/*");
    assertServiceError(root.run("codeartifact", "create-package-group", "--domain", "errors", "--package-group",
        "/npm/*"), "ConflictException");
    assertServiceError(root.run("codeartifact", "describe-package-group", "--domain", "errors", "--package-group",
        "/pypi/*"), "ResourceNotFoundException");
    assertServiceError(root.run("codeartifact", "create-package-group", "--domain", "nodomain", "--package-group",
        "/npm/*"), "ResourceNotFoundException");
    assertServiceError(root.run("codeartifact", "list-package-groups", "--domain", "nodomain"),
        "ResourceNotFoundException");
  }

  @Test
  void packageGroupsAreTaggedThroughTheirArn() {
    root.json("codeartifact", "create-domain", "--domain", "tagged");
    JsonNode group = create("tagged", "/maven/com.example/*", "--tags", "key=team,value=platform");
    String arn = group.path("arn").asText();
    assertThat(arn).isEqualTo("arn:aws:codeartifact:us-east-1:" + account
        + ":package-group/tagged/%2Fmaven%2Fcom.example%2F%2A");
    JsonNode tags = root.json("codeartifact", "list-tags-for-resource", "--resource-arn", arn).path("tags");
    assertThat(tags).hasSize(1);
    assertThat(tags.get(0).path("value").asText()).isEqualTo("platform");
    root.json("codeartifact", "tag-resource", "--resource-arn", arn, "--tags", "key=tier,value=1");
    assertThat(root.json("codeartifact", "list-tags-for-resource", "--resource-arn", arn).path("tags")).hasSize(2);

    groupCommand("delete-package-group", "tagged", "/maven/com.example/*");
    assertServiceError(root.run("codeartifact", "list-tags-for-resource", "--resource-arn", arn),
        "ResourceNotFoundException");
  }
}
