package dev.wharf.packages.http;

import static dev.wharf.testing.TestingAwsErrors.awsError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.VersionLifecycleService;
import dev.wharf.testing.TestingServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;
import software.amazon.awssdk.services.codeartifact.model.AccessDeniedException;
import software.amazon.awssdk.services.codeartifact.model.AllowPublish;
import software.amazon.awssdk.services.codeartifact.model.AllowUpstream;
import software.amazon.awssdk.services.codeartifact.model.PackageDependency;
import software.amazon.awssdk.services.codeartifact.model.PackageFormat;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionErrorCode;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionSortType;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionStatus;
import software.amazon.awssdk.services.codeartifact.model.PackageVersionSummary;
import software.amazon.awssdk.services.codeartifact.model.ResourceNotFoundException;
import software.amazon.awssdk.services.codeartifact.model.ValidationException;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * The package management API through the AWS SDK for Java v2: describe/delete package, origin
 * configuration, list-package-versions (filters, sorting, defaultDisplayVersion, pagination over
 * 1,000+ versions), describe-package-version, readme, dependencies, status updates, dispose, delete
 * and copy, with the model's error types and per-version error codes, and IAM checks. Versions
 * are seeded through PublishingService (the format endpoints' own entry point); real npm and pip
 * runs are in PackageStatusClientsIT.
 */
class PackageManagementSdkIT {
  private static final String READ_ONLY = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":["
      + "\"codeartifact:Describe*\",\"codeartifact:List*\",\"codeartifact:Get*\"],\"Resource\":\"*\"}]}";

  @TempDir static Path scratch;
  static TestingServer wharf;
  static CodeartifactClient api;
  static IamClient iam;
  static String account;
  static PackageService packages;
  static PublishingService publishing;
  static VersionLifecycleService lifecycle;

  @BeforeAll
  static void start() {
    wharf = TestingServer.start(scratch.resolve("data"));
    api = wharf.codeartifact(wharf.rootCredentials());
    iam = wharf.iam(wharf.rootCredentials());
    account = wharf.managementAccountId();
    packages = wharf.server().packages();
    publishing = wharf.server().publishing();
    lifecycle = wharf.server().versionLifecycle();
    api.createDomain(b -> b.domain("acme"));
    for (String repository : List.of("app", "team", "copies", "locked")) {
      api.createRepository(b -> b.domain("acme").repository(repository));
    }
  }

  @AfterAll
  static void stop() {
    if (wharf != null) {
      wharf.close();
    }
  }

  private static PackageKey key(String repository, String format, String namespace, String name) {
    return new PackageKey(account, "acme", repository, format, namespace, name);
  }

  private static void publish(PackageKey key, String version, String metadata, Map<String, String> distTags) {
    publishing.publish(new PublishingService.Publication(key, version, null, metadata, distTags, "INTERNAL"),
        List.of(new PublishingService.AssetContent("file-" + version, new ByteArrayInputStream(
            (key.name() + "@" + version).getBytes(StandardCharsets.UTF_8)), 1024)));
  }

  private static void publish(PackageKey key, String version) {
    publish(key, version, "{}", Map.of());
  }

  // ---------------------------------------------------------------- describe, delete, origin configuration

  @Test
  void describePackageShowsTheOriginConfigurationThatPutPackageOriginConfigurationSet() {
    PackageKey key = key("app", "npm", "acme", "described");
    publish(key, "1.0.0");
    var described = api.describePackage(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .namespace("acme").packageValue("described")).packageValue();
    assertThat(described.formatAsString()).isEqualTo("npm");
    assertThat(described.namespace()).isEqualTo("acme");
    assertThat(described.name()).isEqualTo("described");
    assertThat(described.originConfiguration().restrictions().publish()).isEqualTo(AllowPublish.ALLOW);
    assertThat(described.originConfiguration().restrictions().upstream())
        .as("CodeArtifact's default when the first version is published directly").isEqualTo(AllowUpstream.BLOCK);

    var put = api.putPackageOriginConfiguration(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .namespace("acme").packageValue("described")
        .restrictions(r -> r.publish(AllowPublish.BLOCK).upstream(AllowUpstream.ALLOW)));
    assertThat(put.originConfiguration().restrictions().publish()).isEqualTo(AllowPublish.BLOCK);
    assertThat(api.describePackage(b -> b.domain("acme").repository("app").format(PackageFormat.NPM).namespace("acme")
        .packageValue("described")).packageValue().originConfiguration().restrictions().publish())
        .isEqualTo(AllowPublish.BLOCK);
    var listed = api.listPackages(b -> b.domain("acme").repository("app").packagePrefix("described")).packages();
    assertThat(listed).singleElement().satisfies(p -> {
      assertThat(p.originConfiguration().restrictions().publish()).isEqualTo(AllowPublish.BLOCK);
      assertThat(p.originConfiguration().restrictions().upstream()).isEqualTo(AllowUpstream.ALLOW);
    });

    // Enforced centrally: any format's publish goes through PublishingService and is refused.
    assertThatThrownBy(() -> publish(key, "2.0.0")).isInstanceOf(WharfException.AccessDenied.class)
        .hasMessageContaining("blocked by its origin configuration");
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .namespace("acme").packageValue("described")).versions()).extracting(PackageVersionSummary::version)
        .containsExactly("1.0.0");

    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .namespace("acme").packageValue("described")
        .restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.BLOCK)));
    publish(key, "2.0.0");
    assertThat(api.describePackage(b -> b.domain("acme").repository("app").format(PackageFormat.NPM).namespace("acme")
        .packageValue("described")).packageValue().originConfiguration().restrictions().upstream())
        .isEqualTo(AllowUpstream.BLOCK);
  }

  @Test
  void anOriginConfigurationCanBeSetBeforeThePackageExists() {
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("reserved-name").restrictions(r -> r.publish(AllowPublish.BLOCK).upstream(AllowUpstream.BLOCK)));
    var described = api.describePackage(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("reserved-name")).packageValue();
    assertThat(described.originConfiguration().restrictions().publish()).isEqualTo(AllowPublish.BLOCK);
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("reserved-name")).versions()).isEmpty();
    assertThatThrownBy(() -> publish(key("app", "pypi", "", "reserved-name"), "1.0"))
        .isInstanceOf(WharfException.AccessDenied.class);
  }

  @Test
  void anOriginConfigurationCreatesOnlyPackagesThatCanExistInTheirFormat() {
    api.createRepository(b -> b.domain("acme").repository("reserved"));
    record Bad(String format, String namespace, String name, String why) {}
    for (Bad bad : List.of(
        new Bad("maven", null, "lib", "A namespace is required for maven packages"),
        new Bad("generic", null, "tool", "A namespace is required for generic packages"),
        new Bad("generic", "..", "tool", "must not be . or .."),
        new Bad("generic", "ns", ".", "must not be . or .."),
        new Bad("pypi", "acme", "tool", "pypi packages do not have a namespace"),
        new Bad("pypi", null, "My_Tool", "use my-tool (PEP 503)"),
        new Bad("npm", "@acme", "tool", "use acme, not @acme"))) {
      var error = awsError(ValidationException.class, "ValidationException", 400, () -> api
          .putPackageOriginConfiguration(b -> b.domain("acme").repository("reserved").format(bad.format())
              .namespace(bad.namespace()).packageValue(bad.name())
              .restrictions(r -> r.publish(AllowPublish.BLOCK).upstream(AllowUpstream.BLOCK))));
      assertThat(error.awsErrorDetails().errorMessage()).as(bad.toString()).contains(bad.why());
    }
    assertThat(api.listPackages(b -> b.domain("acme").repository("reserved")).packages())
        .as("nothing was created").isEmpty();

    // The names a client would use are reserved as before.
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("reserved").format(PackageFormat.PYPI)
        .packageValue("my-tool").restrictions(r -> r.publish(AllowPublish.BLOCK).upstream(AllowUpstream.BLOCK)));
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("reserved").format(PackageFormat.MAVEN)
        .namespace("com.acme").packageValue("lib")
        .restrictions(r -> r.publish(AllowPublish.BLOCK).upstream(AllowUpstream.BLOCK)));
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("reserved").format(PackageFormat.NPM)
        .namespace("acme").packageValue("tool")
        .restrictions(r -> r.publish(AllowPublish.BLOCK).upstream(AllowUpstream.BLOCK)));
    assertThat(api.listPackages(b -> b.domain("acme").repository("reserved")).packages())
        .extracting(p -> p.packageValue()).containsExactlyInAnyOrder("my-tool", "lib", "tool");
  }

  @Test
  void listPackagesFiltersByTheOriginConfiguration() {
    api.createRepository(b -> b.domain("acme").repository("origins"));
    publish(key("origins", "npm", "", "direct"), "1.0.0"); // publish ALLOW, upstream BLOCK
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("origins").format(PackageFormat.NPM)
        .packageValue("locked").restrictions(r -> r.publish(AllowPublish.BLOCK).upstream(AllowUpstream.ALLOW)));
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("origins").format(PackageFormat.NPM)
        .packageValue("open").restrictions(r -> r.publish(AllowPublish.ALLOW).upstream(AllowUpstream.ALLOW)));

    java.util.function.BiFunction<AllowPublish, AllowUpstream, List<String>> names = (publish, upstream) ->
        api.listPackages(b -> b.domain("acme").repository("origins").publish(publish).upstream(upstream)).packages()
            .stream().map(p -> p.packageValue()).sorted().toList();
    assertThat(names.apply(null, null)).containsExactly("direct", "locked", "open");
    assertThat(names.apply(AllowPublish.BLOCK, null)).containsExactly("locked");
    assertThat(names.apply(AllowPublish.ALLOW, null)).containsExactly("direct", "open");
    assertThat(names.apply(null, AllowUpstream.BLOCK)).containsExactly("direct");
    assertThat(names.apply(AllowPublish.ALLOW, AllowUpstream.ALLOW)).containsExactly("open");
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackages(b -> b.domain("acme")
        .repository("origins").publish("MAYBE")));
  }

  @Test
  void listPackagesPaginatorWalksEveryPackageExactlyOnceWithFiltersAppliedBeforePaging() {
    api.createRepository(b -> b.domain("acme").repository("walk"));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      String format = List.of("generic", "maven", "npm", "pypi").get(i % 4);
      String namespace = switch (format) {
        case "generic", "maven" -> "ns" + (i % 3);
        case "npm" -> i % 2 == 0 ? "" : "scope";
        default -> "";
      };
      String name = String.format("pkg-%03d", i);
      publish(key("walk", format, namespace, name), "1.0");
      expected.add(format + "/" + namespace + "/" + name);
    }
    // Every 10th package refuses direct publishing; the rest keep the direct-publish default (ALLOW/BLOCK).
    List<String> blocked = new ArrayList<>();
    for (int i = 0; i < 250; i += 10) {
      String[] parts = expected.get(i).split("/", -1);
      api.putPackageOriginConfiguration(b -> b.domain("acme").repository("walk").format(parts[0])
          .namespace(parts[1].isEmpty() ? null : parts[1]).packageValue(parts[2])
          .restrictions(r -> r.publish(AllowPublish.BLOCK).upstream(AllowUpstream.ALLOW)));
      blocked.add(expected.get(i));
    }

    List<String> walked = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    for (var page : api.listPackagesPaginator(b -> b.domain("acme").repository("walk").maxResults(100))) {
      pageSizes.add(page.packages().size());
      page.packages().forEach(p -> walked.add(p.formatAsString() + "/" + (p.namespace() == null ? "" : p.namespace())
          + "/" + p.packageValue()));
    }
    assertThat(pageSizes).containsExactly(100, 100, 50);
    assertThat(walked).as("every package exactly once").doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(walked).as("in format, namespace, name order")
        .isSortedAccordingTo(java.util.Comparator.comparing((String w) -> w.split("/", -1)[0])
            .thenComparing(w -> w.split("/", -1)[1]).thenComparing(w -> w.split("/", -1)[2]));

    // The origin filter is applied in the store: every page but the last is full.
    List<String> walkedBlocked = new ArrayList<>();
    List<Integer> blockedSizes = new ArrayList<>();
    for (var page : api.listPackagesPaginator(b -> b.domain("acme").repository("walk").publish(AllowPublish.BLOCK)
        .maxResults(10))) {
      blockedSizes.add(page.packages().size());
      page.packages().forEach(p -> {
        assertThat(p.originConfiguration().restrictions().publish()).isEqualTo(AllowPublish.BLOCK);
        walkedBlocked.add(p.formatAsString() + "/" + (p.namespace() == null ? "" : p.namespace()) + "/"
            + p.packageValue());
      });
    }
    assertThat(blockedSizes).containsExactly(10, 10, 5);
    assertThat(walkedBlocked).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(blocked);
    List<String> walkedAllowed = new ArrayList<>();
    for (var page : api.listPackagesPaginator(b -> b.domain("acme").repository("walk").publish(AllowPublish.ALLOW)
        .upstream(AllowUpstream.BLOCK).format(PackageFormat.MAVEN).namespace("ns").packagePrefix("pkg-1")
        .maxResults(7))) {
      page.packages().forEach(p -> walkedAllowed.add("maven/" + p.namespace() + "/" + p.packageValue()));
    }
    assertThat(walkedAllowed).containsExactlyInAnyOrderElementsOf(expected.stream()
        .filter(e -> e.startsWith("maven/ns") && e.split("/")[2].startsWith("pkg-1") && !blocked.contains(e)).toList());

    // A token continues only the listing it came from; an edited one is refused.
    var first = api.listPackages(b -> b.domain("acme").repository("walk").maxResults(100));
    var second = api.listPackages(b -> b.domain("acme").repository("walk").maxResults(100)
        .nextToken(first.nextToken()));
    assertThat(second.packages().getFirst().packageValue()).isEqualTo(walked.get(100).split("/", -1)[2]);
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackages(b -> b.domain("acme")
        .repository("walk").format(PackageFormat.NPM).nextToken(first.nextToken())));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackages(b -> b.domain("acme")
        .repository("app").nextToken(first.nextToken())));
    String text = new String(java.util.Base64.getUrlDecoder().decode(first.nextToken()), StandardCharsets.UTF_8);
    String edited = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        text.replace("pkg-", "pkh-").getBytes(StandardCharsets.UTF_8));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackages(b -> b.domain("acme")
        .repository("walk").nextToken(edited)));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackages(b -> b.domain("acme")
        .repository("walk").nextToken("MTAw")));
  }

  @Test
  void listPackagesNamespaceFilterMatchesByPrefixAsTheModelSays() {
    api.createRepository(b -> b.domain("acme").repository("prefixes"));
    publish(key("prefixes", "maven", "org.example", "core"), "1.0");
    publish(key("prefixes", "maven", "org.example.tools", "cli"), "1.0");
    publish(key("prefixes", "maven", "organic", "food"), "1.0");
    publish(key("prefixes", "maven", "com.other", "lib"), "1.0");
    publish(key("prefixes", "pypi", "", "org-tools"), "1.0");

    java.util.function.Function<String, List<String>> names = namespace -> api.listPackages(b -> b.domain("acme")
        .repository("prefixes").namespace(namespace)).packages().stream()
        .map(p -> p.namespace() + "/" + p.packageValue()).sorted().toList();
    assertThat(names.apply("org.example")).containsExactly("org.example.tools/cli", "org.example/core");
    assertThat(names.apply("org")).containsExactly("org.example.tools/cli", "org.example/core", "organic/food");
    assertThat(names.apply("org.example.tools")).containsExactly("org.example.tools/cli");
    assertThat(names.apply("net")).isEmpty();
    assertThat(api.listPackages(b -> b.domain("acme").repository("prefixes").format(PackageFormat.MAVEN)
        .namespace("org.ex").packagePrefix("c")).packages()).extracting(p -> p.packageValue())
        .containsExactlyInAnyOrder("core", "cli");

    // The filters follow the model's pattern [^#/\s]+ like every other namespace and name.
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackages(b -> b.domain("acme")
        .repository("prefixes").namespace("org/example")));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackages(b -> b.domain("acme")
        .repository("prefixes").packagePrefix("has space")));
  }

  @Test
  void deletePackageReturnsTheDeletedSummaryAndForgetsEveryVersion() {
    PackageKey key = key("app", "maven", "com.acme", "doomed");
    publish(key, "1.0");
    publish(key, "1.1");
    var deleted = api.deletePackage(b -> b.domain("acme").repository("app").format(PackageFormat.MAVEN)
        .namespace("com.acme").packageValue("doomed")).deletedPackage();
    assertThat(deleted.formatAsString()).isEqualTo("maven");
    assertThat(deleted.namespace()).isEqualTo("com.acme");
    assertThat(deleted.packageValue()).isEqualTo("doomed");
    assertThat(deleted.originConfiguration().restrictions().publish()).isEqualTo(AllowPublish.ALLOW);

    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.describePackage(b -> b
        .domain("acme").repository("app").format(PackageFormat.MAVEN).namespace("com.acme").packageValue("doomed")));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.deletePackage(b -> b
        .domain("acme").repository("app").format(PackageFormat.MAVEN).namespace("com.acme").packageValue("doomed")));
    assertThat(packages.versions(key)).isEmpty();
    publish(key, "1.0"); // the name is free again
  }

  // ---------------------------------------------------------------- list-package-versions

  @Test
  void listPackageVersionsPagesThroughMoreThanAThousandVersions() {
    PackageKey key = key("app", "generic", "bulk", "many");
    for (int i = 0; i < 1_050; i++) {
      publishing.publish(new PublishingService.Publication(key, "1.0." + i, null, "{}", Map.of(), "INTERNAL"), List.of());
    }
    List<String> seen = new ArrayList<>();
    int pages = 0;
    for (var page : api.listPackageVersionsPaginator(b -> b.domain("acme").repository("app")
        .format(PackageFormat.GENERIC).namespace("bulk").packageValue("many").maxResults(100))) {
      pages++;
      assertThat(page.versions().size()).isLessThanOrEqualTo(100);
      page.versions().forEach(v -> seen.add(v.version()));
    }
    assertThat(pages).isEqualTo(11);
    assertThat(seen).hasSize(1_050).doesNotHaveDuplicates();
    assertThat(Set.copyOf(seen)).isEqualTo(IntStream.range(0, 1_050).mapToObj(i -> "1.0." + i).collect(Collectors.toSet()));

    var biggest = api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
        .namespace("bulk").packageValue("many").maxResults(1000));
    assertThat(biggest.versions()).hasSize(1000);
    assertThat(biggest.nextToken()).isNotBlank();

    for (int bad : new int[] {0, 1001}) {
      awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackageVersions(b -> b
          .domain("acme").repository("app").format(PackageFormat.GENERIC).namespace("bulk").packageValue("many")
          .maxResults(bad)));
    }
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackageVersions(b -> b
        .domain("acme").repository("app").format(PackageFormat.GENERIC).namespace("bulk").packageValue("many")
        .nextToken("not-a-token-of-ours")));

    // A nextToken names where the next page starts (keyset): versions deleted from earlier pages meanwhile
    // neither shift the rest nor make any repeat, as they would with an offset.
    var page1 = api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
        .namespace("bulk").packageValue("many").maxResults(100));
    assertThat(page1.versions()).extracting(v -> v.version()).isEqualTo(seen.subList(0, 100));
    lifecycle.deleteVersions(key, seen.subList(0, 10), null);
    var page2 = api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
        .namespace("bulk").packageValue("many").maxResults(100).nextToken(page1.nextToken()));
    assertThat(page2.versions()).extracting(v -> v.version()).isEqualTo(seen.subList(100, 200));
    List<String> newestFirst = new ArrayList<>();
    for (var page : api.listPackageVersionsPaginator(b -> b.domain("acme").repository("app")
        .format(PackageFormat.GENERIC).namespace("bulk").packageValue("many").maxResults(100).sortBy("PUBLISHED_TIME")
        .status(PackageVersionStatus.PUBLISHED))) {
      page.versions().forEach(v -> newestFirst.add(v.version()));
    }
    assertThat(newestFirst).isEqualTo(seen.subList(10, seen.size()).reversed());

    // It is refused when edited, or used to continue another listing (other order or filter).
    String text = new String(java.util.Base64.getUrlDecoder().decode(page1.nextToken()), StandardCharsets.UTF_8);
    String edited = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
        text.replace(seen.get(99), seen.get(500)).getBytes(StandardCharsets.UTF_8));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackageVersions(b -> b
        .domain("acme").repository("app").format(PackageFormat.GENERIC).namespace("bulk").packageValue("many")
        .nextToken(edited)));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackageVersions(b -> b
        .domain("acme").repository("app").format(PackageFormat.GENERIC).namespace("bulk").packageValue("many")
        .sortBy("PUBLISHED_TIME").nextToken(page1.nextToken())));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackageVersions(b -> b
        .domain("acme").repository("app").format(PackageFormat.GENERIC).namespace("bulk").packageValue("many")
        .status(PackageVersionStatus.PUBLISHED).nextToken(page1.nextToken())));
  }

  @Test
  void listPackageVersionsFiltersByStatusAndOriginAndSortsByPublishedTime() throws InterruptedException {
    PackageKey key = key("app", "pypi", "", "filtered");
    publish(key, "1.0");
    Thread.sleep(5); // distinct publish times (milliseconds)
    publish(key, "3.0");
    Thread.sleep(5);
    publish(key, "2.0");
    api.updatePackageVersionsStatus(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("filtered").versions("3.0").targetStatus(PackageVersionStatus.UNLISTED));

    var sorted = api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("filtered").sortBy(PackageVersionSortType.PUBLISHED_TIME));
    assertThat(sorted.versions()).extracting(PackageVersionSummary::version).containsExactly("2.0", "3.0", "1.0");
    assertThat(sorted.versions().get(0).origin().originTypeAsString()).isEqualTo("INTERNAL");
    assertThat(sorted.versions().get(0).origin().domainEntryPoint().repositoryName()).isEqualTo("app");
    // PyPI: the most recently published Published version.
    assertThat(sorted.defaultDisplayVersion()).isEqualTo("2.0");

    var unlisted = api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("filtered").status(PackageVersionStatus.UNLISTED));
    assertThat(unlisted.versions()).extracting(PackageVersionSummary::version).containsExactly("3.0");
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("filtered").originType("EXTERNAL")).versions()).isEmpty();
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("filtered").originType("INTERNAL")).versions()).hasSize(3);
    awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackageVersions(b -> b
        .domain("acme").repository("app").format(PackageFormat.PYPI).packageValue("filtered").status("Gone")));
  }

  @Test
  void npmsDefaultDisplayVersionIsTheLatestDistTag() throws InterruptedException {
    PackageKey key = key("app", "npm", "", "tagged");
    publish(key, "2.0.0", "{}", Map.of("latest", "2.0.0"));
    Thread.sleep(5);
    publish(key, "3.0.0-beta.1", "{}", Map.of("next", "3.0.0-beta.1"));
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("tagged")).defaultDisplayVersion()).isEqualTo("2.0.0");
    packages.deleteDistTag(key, "latest");
    assertThat(api.listPackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("tagged")).defaultDisplayVersion()).isEqualTo("3.0.0-beta.1");
  }

  // ---------------------------------------------------------------- describe-package-version, readme, dependencies

  @Test
  void anNpmVersionIsDescribedFromItsManifest() {
    String manifest = "{\"name\":\"@acme/web\",\"version\":\"1.2.0\",\"description\":\"The web kit\","
        + "\"homepage\":\"https://acme.example/web\",\"repository\":{\"type\":\"git\",\"url\":\"git+https://git.example/web.git\"},"
        + "\"license\":\"MIT\",\"readme\":\"# Web\\nHello\","
        + "\"dependencies\":{\"left-pad\":\"^1.3.0\",\"@acme/util\":\"~2.0.0\"},\"devDependencies\":{\"jest\":\"29.x\"},"
        + "\"peerDependencies\":{\"react\":\">=18\"},\"optionalDependencies\":{\"fsevents\":\"*\"}}";
    publishing.publish(new PublishingService.Publication(key("app", "npm", "acme", "web"), "1.2.0", "The web kit", manifest,
        Map.of("latest", "1.2.0"), "INTERNAL"), List.of());

    var version = api.describePackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .namespace("acme").packageValue("web").packageVersion("1.2.0")).packageVersion();
    assertThat(version.displayName()).isEqualTo("@acme/web");
    assertThat(version.packageName()).isEqualTo("web");
    assertThat(version.namespace()).isEqualTo("acme");
    assertThat(version.summary()).isEqualTo("The web kit");
    assertThat(version.homePage()).isEqualTo("https://acme.example/web");
    assertThat(version.sourceCodeRepository()).isEqualTo("git+https://git.example/web.git");
    assertThat(version.licenses()).singleElement().satisfies(l -> assertThat(l.name()).isEqualTo("MIT"));
    assertThat(version.publishedTime()).isNotNull();
    assertThat(version.statusAsString()).isEqualTo("Published");
    assertThat(version.origin().originTypeAsString()).isEqualTo("INTERNAL");

    var readme = api.getPackageVersionReadme(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .namespace("acme").packageValue("web").packageVersion("1.2.0"));
    assertThat(readme.readme()).isEqualTo("# Web\nHello");
    assertThat(readme.versionRevision()).isEqualTo(version.revision());
    assertThat(readme.packageValue()).isEqualTo("web");

    var dependencies = api.listPackageVersionDependencies(b -> b.domain("acme").repository("app")
        .format(PackageFormat.NPM).namespace("acme").packageValue("web").packageVersion("1.2.0"));
    assertThat(dependencies.versionRevision()).isEqualTo(version.revision());
    assertThat(dependencies.dependencies()).extracting(PackageDependency::namespace, PackageDependency::packageValue,
        PackageDependency::dependencyType, PackageDependency::versionRequirement).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple(null, "left-pad", "regular", "^1.3.0"),
        org.assertj.core.groups.Tuple.tuple("acme", "util", "regular", "~2.0.0"),
        org.assertj.core.groups.Tuple.tuple(null, "jest", "dev", "29.x"),
        org.assertj.core.groups.Tuple.tuple(null, "react", "peer", ">=18"),
        org.assertj.core.groups.Tuple.tuple(null, "fsevents", "optional", "*"));
  }

  @Test
  void aPypiVersionIsDescribedFromItsUploadMetadata() {
    String document = "{\"name\":\"Acme.Tools\",\"summary\":\"Tools\",\"home_page\":\"https://acme.example/tools\","
        + "\"license\":\"Apache-2.0\",\"description\":\"Acme tools\\n==========\","
        + "\"project_urls\":[\"Source, https://git.example/tools\"],"
        + "\"requires_dist\":[\"requests[socks] (>=2.0,<3)\",\"click>=8; python_version >= '3.8'\",\"attrs\"]}";
    publishing.publish(new PublishingService.Publication(key("app", "pypi", "", "acme-tools"), "0.3", "Tools", document,
        Map.of(), "INTERNAL"), List.of());
    var version = api.describePackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("acme-tools").packageVersion("0.3")).packageVersion();
    assertThat(version.displayName()).isEqualTo("Acme.Tools");
    assertThat(version.homePage()).isEqualTo("https://acme.example/tools");
    assertThat(version.sourceCodeRepository()).isEqualTo("https://git.example/tools");
    assertThat(version.licenses()).extracting(l -> l.name()).containsExactly("Apache-2.0");
    assertThat(api.getPackageVersionReadme(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("acme-tools").packageVersion("0.3")).readme()).isEqualTo("Acme tools\n==========");
    assertThat(api.listPackageVersionDependencies(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("acme-tools").packageVersion("0.3")).dependencies())
        .extracting(PackageDependency::packageValue, PackageDependency::dependencyType,
            PackageDependency::versionRequirement)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("requests", "Requires-Dist", ">=2.0,<3"),
            org.assertj.core.groups.Tuple.tuple("click", "Requires-Dist", ">=8; python_version >= '3.8'"),
            org.assertj.core.groups.Tuple.tuple("attrs", "Requires-Dist", null));
  }

  @Test
  void aMavenVersionIsDescribedFromItsPomShape() {
    String document = "{\"packaging\":\"jar\",\"name\":\"Acme Core\",\"description\":\"Core library\","
        + "\"url\":\"https://acme.example/core\",\"licenses\":[{\"name\":\"Apache-2.0\",\"url\":\"https://www.apache.org/licenses/LICENSE-2.0\"}],"
        + "\"scm\":{\"url\":\"https://git.example/core\"},\"dependencies\":[{\"namespace\":\"org.slf4j\","
        + "\"package\":\"slf4j-api\",\"dependencyType\":\"compile\",\"versionRequirement\":\"2.0.13\"},"
        + "{\"namespace\":\"org.junit.jupiter\",\"package\":\"junit-jupiter\",\"dependencyType\":\"test\","
        + "\"versionRequirement\":\"[5.10,6)\"}]}";
    publishing.publish(new PublishingService.Publication(key("app", "maven", "com.acme", "core"), "1.0", null, document,
        Map.of(), "INTERNAL"), List.of());
    var version = api.describePackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.MAVEN)
        .namespace("com.acme").packageValue("core").packageVersion("1.0")).packageVersion();
    assertThat(version.summary()).isEqualTo("Core library");
    assertThat(version.homePage()).isEqualTo("https://acme.example/core");
    assertThat(version.sourceCodeRepository()).isEqualTo("https://git.example/core");
    assertThat(version.licenses()).singleElement().satisfies(l -> {
      assertThat(l.name()).isEqualTo("Apache-2.0");
      assertThat(l.url()).isEqualTo("https://www.apache.org/licenses/LICENSE-2.0");
    });
    assertThat(api.listPackageVersionDependencies(b -> b.domain("acme").repository("app").format(PackageFormat.MAVEN)
        .namespace("com.acme").packageValue("core").packageVersion("1.0")).dependencies())
        .extracting(PackageDependency::namespace, PackageDependency::packageValue, PackageDependency::dependencyType,
            PackageDependency::versionRequirement)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("org.slf4j", "slf4j-api", "compile", "2.0.13"),
            org.assertj.core.groups.Tuple.tuple("org.junit.jupiter", "junit-jupiter", "test", "[5.10,6)"));
    // A generic version has no readme: the member is left out.
    publish(key("app", "generic", "tools", "blob"), "1");
    assertThat(api.getPackageVersionReadme(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
        .namespace("tools").packageValue("blob").packageVersion("1")).readme()).isNull();
  }

  // ---------------------------------------------------------------- status, dispose, delete, copy

  @Test
  void statusMovesBetweenPublishedUnlistedAndArchivedWithPerVersionOutcomes() {
    PackageKey key = key("app", "npm", "", "lifecycle");
    publish(key, "1.0.0");
    publish(key, "1.1.0");
    String revision = packages.version(key, "1.0.0").orElseThrow().revision();

    var unlisted = api.updatePackageVersionsStatus(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("lifecycle").versions("1.0.0", "9.9.9").versionRevisions(Map.of("1.0.0", revision))
        .expectedStatus(PackageVersionStatus.PUBLISHED).targetStatus(PackageVersionStatus.UNLISTED));
    assertThat(unlisted.successfulVersions()).containsOnlyKeys("1.0.0");
    assertThat(unlisted.successfulVersions().get("1.0.0").status()).isEqualTo(PackageVersionStatus.UNLISTED);
    String newRevision = unlisted.successfulVersions().get("1.0.0").revision();
    assertThat(newRevision).isNotEqualTo(revision);
    assertThat(unlisted.failedVersions().get("9.9.9").errorCode()).isEqualTo(PackageVersionErrorCode.NOT_FOUND);

    var stale = api.updatePackageVersionsStatus(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("lifecycle").versions("1.0.0").versionRevisions(Map.of("1.0.0", revision))
        .targetStatus(PackageVersionStatus.ARCHIVED));
    assertThat(stale.successfulVersions()).isEmpty();
    assertThat(stale.failedVersions().get("1.0.0").errorCode()).isEqualTo(PackageVersionErrorCode.MISMATCHED_REVISION);

    var wrongStatus = api.updatePackageVersionsStatus(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("lifecycle").versions("1.0.0", "1.1.0").expectedStatus(PackageVersionStatus.PUBLISHED)
        .targetStatus(PackageVersionStatus.ARCHIVED));
    assertThat(wrongStatus.failedVersions().get("1.0.0").errorCode()).isEqualTo(PackageVersionErrorCode.MISMATCHED_STATUS);
    assertThat(wrongStatus.successfulVersions().get("1.1.0").status()).isEqualTo(PackageVersionStatus.ARCHIVED);

    var back = api.updatePackageVersionsStatus(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("lifecycle").versions("1.0.0", "1.1.0").targetStatus(PackageVersionStatus.PUBLISHED));
    assertThat(back.successfulVersions()).containsOnlyKeys("1.0.0", "1.1.0");
    assertThat(api.describePackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("lifecycle").packageVersion("1.1.0")).packageVersion().status())
        .isEqualTo(PackageVersionStatus.PUBLISHED);

    awsError(ValidationException.class, "ValidationException", 400, () -> api.updatePackageVersionsStatus(b -> b
        .domain("acme").repository("app").format(PackageFormat.NPM).packageValue("lifecycle").versions("1.0.0")
        .targetStatus(PackageVersionStatus.DISPOSED)));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.updatePackageVersionsStatus(b -> b
        .domain("acme").repository("app").format(PackageFormat.NPM).packageValue("lifecycle").versions("1.0.0")
        .targetStatus("Sleeping")));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.updatePackageVersionsStatus(b -> b
        .domain("acme").repository("app").format(PackageFormat.NPM).packageValue("lifecycle")
        .versions(IntStream.range(0, 101).mapToObj(i -> "0.0." + i).toList())
        .targetStatus(PackageVersionStatus.ARCHIVED)));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.updatePackageVersionsStatus(
        b -> b.domain("acme").repository("app").format(PackageFormat.NPM).packageValue("no-such-package")
            .versions("1.0.0").targetStatus(PackageVersionStatus.ARCHIVED)));
  }

  @Test
  void disposingKeepsTheVersionAsDisposedWithoutAssetsAndItCannotBeRepublished() {
    PackageKey key = key("app", "pypi", "", "disposable");
    publish(key, "1.0");
    publish(key, "2.0");
    var disposed = api.disposePackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("disposable").versions("1.0", "3.0").expectedStatus(PackageVersionStatus.PUBLISHED));
    assertThat(disposed.successfulVersions().get("1.0").status()).isEqualTo(PackageVersionStatus.DISPOSED);
    assertThat(disposed.failedVersions().get("3.0").errorCode()).isEqualTo(PackageVersionErrorCode.NOT_FOUND);

    assertThat(api.describePackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("disposable").packageVersion("1.0")).packageVersion().status())
        .isEqualTo(PackageVersionStatus.DISPOSED);
    assertThat(api.listPackageVersionAssets(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("disposable").packageVersion("1.0")).assets()).isEmpty();
    assertThat(api.listPackageVersionAssets(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("disposable").packageVersion("2.0")).assets()).hasSize(1);

    var revive = api.updatePackageVersionsStatus(b -> b.domain("acme").repository("app").format(PackageFormat.PYPI)
        .packageValue("disposable").versions("1.0").targetStatus(PackageVersionStatus.PUBLISHED));
    assertThat(revive.failedVersions().get("1.0").errorCode()).isEqualTo(PackageVersionErrorCode.NOT_ALLOWED);
    assertThatThrownBy(() -> publish(key, "1.0")).isInstanceOf(WharfException.Conflict.class);
  }

  @Test
  void deletedVersionsAreGoneAndReportedAsDeleted() {
    PackageKey key = key("app", "generic", "tools", "deletable");
    publish(key, "1");
    publish(key, "2");
    var deleted = api.deletePackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
        .namespace("tools").packageValue("deletable").versions("1", "2").expectedStatus(PackageVersionStatus.PUBLISHED));
    assertThat(deleted.successfulVersions().get("1").statusAsString()).isEqualTo("Deleted");
    assertThat(deleted.successfulVersions()).containsOnlyKeys("1", "2");
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.describePackageVersion(b -> b
        .domain("acme").repository("app").format(PackageFormat.GENERIC).namespace("tools").packageValue("deletable")
        .packageVersion("1")));
    var again = api.deletePackageVersions(b -> b.domain("acme").repository("app").format(PackageFormat.GENERIC)
        .namespace("tools").packageValue("deletable").versions("1"));
    assertThat(again.failedVersions().get("1").errorCode()).isEqualTo(PackageVersionErrorCode.NOT_FOUND);
    publish(key, "1"); // a deleted version may be published again
  }

  @Test
  void copiedVersionsShareTheSourceBlobsAndOverwriteOnlyWhenAllowed() {
    PackageKey key = key("team", "npm", "acme", "shared");
    publish(key, "1.0.0");
    publish(key, "2.0.0");
    String revision = packages.version(key, "2.0.0").orElseThrow().revision();

    var copied = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team").destinationRepository("copies")
        .format(PackageFormat.NPM).namespace("acme").packageValue("shared").versions("1.0.0", "5.0.0"));
    assertThat(copied.successfulVersions()).containsOnlyKeys("1.0.0");
    assertThat(copied.failedVersions().get("5.0.0").errorCode()).isEqualTo(PackageVersionErrorCode.NOT_FOUND);
    var sourceAssets = api.listPackageVersionAssets(b -> b.domain("acme").repository("team").format(PackageFormat.NPM)
        .namespace("acme").packageValue("shared").packageVersion("1.0.0")).assets();
    var copiedAssets = api.listPackageVersionAssets(b -> b.domain("acme").repository("copies").format(PackageFormat.NPM)
        .namespace("acme").packageValue("shared").packageVersion("1.0.0")).assets();
    assertThat(copiedAssets).usingRecursiveFieldByFieldElementComparator().isEqualTo(sourceAssets);

    var twice = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team").destinationRepository("copies")
        .format(PackageFormat.NPM).namespace("acme").packageValue("shared").versions("1.0.0"));
    assertThat(twice.failedVersions().get("1.0.0").errorCode()).isEqualTo(PackageVersionErrorCode.ALREADY_EXISTS);
    var overwritten = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team")
        .destinationRepository("copies").format(PackageFormat.NPM).namespace("acme").packageValue("shared")
        .versions("1.0.0").allowOverwrite(true).includeFromUpstream(true));
    assertThat(overwritten.successfulVersions()).containsOnlyKeys("1.0.0");

    var byRevision = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team")
        .destinationRepository("copies").format(PackageFormat.NPM).namespace("acme").packageValue("shared")
        .versionRevisions(Map.of("2.0.0", "stale-revision")));
    assertThat(byRevision.failedVersions().get("2.0.0").errorCode()).isEqualTo(PackageVersionErrorCode.MISMATCHED_REVISION);
    var good = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team").destinationRepository("copies")
        .format(PackageFormat.NPM).namespace("acme").packageValue("shared").versionRevisions(Map.of("2.0.0", revision)));
    assertThat(good.successfulVersions().get("2.0.0").revision()).isEqualTo(revision);

    // The destination's origin configuration applies to copies as to any publish.
    api.putPackageOriginConfiguration(b -> b.domain("acme").repository("locked").format(PackageFormat.NPM)
        .namespace("acme").packageValue("shared").restrictions(r -> r.publish(AllowPublish.BLOCK)
            .upstream(AllowUpstream.ALLOW)));
    var blocked = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("team").destinationRepository("locked")
        .format(PackageFormat.NPM).namespace("acme").packageValue("shared").versions("1.0.0"));
    assertThat(blocked.failedVersions().get("1.0.0").errorCode()).isEqualTo(PackageVersionErrorCode.NOT_ALLOWED);

    awsError(ValidationException.class, "ValidationException", 400, () -> api.copyPackageVersions(b -> b.domain("acme")
        .sourceRepository("team").destinationRepository("copies").format(PackageFormat.NPM).namespace("acme")
        .packageValue("shared").versions("1.0.0").versionRevisions(Map.of("2.0.0", revision))));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.copyPackageVersions(b -> b.domain("acme")
        .sourceRepository("team").destinationRepository("team").format(PackageFormat.NPM).namespace("acme")
        .packageValue("shared").versions("1.0.0")));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.copyPackageVersions(b -> b
        .domain("acme").sourceRepository("team").destinationRepository("nowhere").format(PackageFormat.NPM)
        .namespace("acme").packageValue("shared").versions("1.0.0")));
  }

  // ---------------------------------------------------------------- not found and permissions

  @Test
  void aReadThroughUpstreamsLooksInAtMostTwentyFiveRepositories() {
    // deep-0 -> deep-1 -> ... -> deep-26: deep-24 is the 25th repository a read of deep-0 looks in.
    for (int i = 26; i >= 0; i--) {
      String name = "deep-" + i;
      String upstream = "deep-" + (i + 1);
      List<software.amazon.awssdk.services.codeartifact.model.UpstreamRepository> upstreams = i == 26 ? List.of()
          : List.of(software.amazon.awssdk.services.codeartifact.model.UpstreamRepository.builder()
              .repositoryName(upstream).build());
      api.createRepository(b -> b.domain("acme").repository(name).upstreams(upstreams));
    }
    publish(key("deep-24", "npm", "", "at-the-limit"), "1.0.0");
    publish(key("deep-25", "npm", "", "past-the-limit"), "1.0.0");

    var copied = api.copyPackageVersions(b -> b.domain("acme").sourceRepository("deep-0").destinationRepository("copies")
        .format(PackageFormat.NPM).packageValue("at-the-limit").versions("1.0.0").includeFromUpstream(true));
    assertThat(copied.successfulVersions()).containsOnlyKeys("1.0.0");
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.copyPackageVersions(b -> b
        .domain("acme").sourceRepository("deep-0").destinationRepository("copies").format(PackageFormat.NPM)
        .packageValue("past-the-limit").versions("1.0.0").includeFromUpstream(true)));
    // From one repository further down, it is within reach.
    assertThat(api.copyPackageVersions(b -> b.domain("acme").sourceRepository("deep-1").destinationRepository("copies")
        .format(PackageFormat.NPM).packageValue("past-the-limit").versions("1.0.0").includeFromUpstream(true))
        .successfulVersions()).containsOnlyKeys("1.0.0");
  }

  @Test
  void unknownDomainsRepositoriesPackagesAndVersionsAreResourceNotFound() {
    publish(key("app", "npm", "", "known"), "1.0.0");
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.describePackage(b -> b
        .domain("nodomain").repository("app").format(PackageFormat.NPM).packageValue("known")));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.describePackage(b -> b
        .domain("acme").repository("norepo").format(PackageFormat.NPM).packageValue("known")));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.describePackage(b -> b
        .domain("acme").repository("app").format(PackageFormat.NPM).packageValue("unknown")));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.getPackageVersionReadme(b -> b
        .domain("acme").repository("app").format(PackageFormat.NPM).packageValue("known").packageVersion("9.0.0")));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api
        .listPackageVersionDependencies(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
            .packageValue("known").packageVersion("9.0.0")));
    awsError(ResourceNotFoundException.class, "ResourceNotFoundException", 404, () -> api.putPackageOriginConfiguration(
        b -> b.domain("acme").repository("norepo").format(PackageFormat.NPM).packageValue("known")
            .restrictions(r -> r.publish(AllowPublish.BLOCK).upstream(AllowUpstream.BLOCK))));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.putPackageOriginConfiguration(b -> b
        .domain("acme").repository("app").format(PackageFormat.NPM).packageValue("known")
        .restrictions(r -> r.publish("MAYBE").upstream(AllowUpstream.BLOCK))));
    awsError(ValidationException.class, "ValidationException", 400, () -> api.describePackage(b -> b
        .domain("acme").repository("app").format("tarball").packageValue("known")));
  }

  @Test
  void aVersionOutsideTheModelsPatternIsAValidationExceptionInEveryVersionRead() {
    PackageKey key = key("app", "npm", "", "patterned");
    publish(key, "1.0.0");
    String tooLong = "9".repeat(300);
    for (String version : List.of("1.0.0/x", "1.0 .0", "#1", tooLong)) {
      var described = awsError(ValidationException.class, "ValidationException", 400, () -> api.describePackageVersion(
          b -> b.domain("acme").repository("app").format(PackageFormat.NPM).packageValue("patterned")
              .packageVersion(version)));
      assertThat(described.awsErrorDetails().errorMessage()).as(version).contains("packageVersion")
          .hasSizeLessThan(400);
      awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackageVersionAssets(b -> b
          .domain("acme").repository("app").format(PackageFormat.NPM).packageValue("patterned").packageVersion(version)));
      awsError(ValidationException.class, "ValidationException", 400, () -> api.getPackageVersionReadme(b -> b
          .domain("acme").repository("app").format(PackageFormat.NPM).packageValue("patterned").packageVersion(version)));
      awsError(ValidationException.class, "ValidationException", 400, () -> api.listPackageVersionDependencies(b -> b
          .domain("acme").repository("app").format(PackageFormat.NPM).packageValue("patterned").packageVersion(version)));
    }
    assertThat(api.describePackageVersion(b -> b.domain("acme").repository("app").format(PackageFormat.NPM)
        .packageValue("patterned").packageVersion("1.0.0")).packageVersion().version()).isEqualTo("1.0.0");
  }

  @Test
  void eachOperationIsAuthorizedOnThePackageArnAndACopyAlsoNeedsReadOnTheSource() {
    publish(key("team", "npm", "", "guarded"), "1.0.0");
    iam.createUser(b -> b.userName("reader"));
    iam.putUserPolicy(b -> b.userName("reader").policyName("read").policyDocument(READ_ONLY));
    var key = iam.createAccessKey(b -> b.userName("reader")).accessKey();
    CodeartifactClient reader = wharf.codeartifact(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));

    assertThat(reader.describePackage(b -> b.domain("acme").domainOwner(account).repository("team")
        .format(PackageFormat.NPM).packageValue("guarded")).packageValue().name()).isEqualTo("guarded");
    assertThat(reader.getPackageVersionReadme(b -> b.domain("acme").repository("team").format(PackageFormat.NPM)
        .packageValue("guarded").packageVersion("1.0.0")).versionRevision()).isNotBlank();
    awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> reader.deletePackage(b -> b
        .domain("acme").repository("team").format(PackageFormat.NPM).packageValue("guarded")));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> reader.putPackageOriginConfiguration(b -> b
        .domain("acme").repository("team").format(PackageFormat.NPM).packageValue("guarded")
        .restrictions(r -> r.publish(AllowPublish.BLOCK).upstream(AllowUpstream.BLOCK))));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> reader.updatePackageVersionsStatus(b -> b
        .domain("acme").repository("team").format(PackageFormat.NPM).packageValue("guarded").versions("1.0.0")
        .targetStatus(PackageVersionStatus.ARCHIVED)));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> reader.disposePackageVersions(b -> b
        .domain("acme").repository("team").format(PackageFormat.NPM).packageValue("guarded").versions("1.0.0")));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> reader.deletePackageVersions(b -> b
        .domain("acme").repository("team").format(PackageFormat.NPM).packageValue("guarded").versions("1.0.0")));

    // Allowed to copy into "copies" but denied reading "team": the copy is refused.
    String copier = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"codeartifact:*\","
        + "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":\"codeartifact:ReadFromRepository\",\"Resource\":"
        + "\"arn:aws:codeartifact:*:" + account + ":repository/acme/team\"},{\"Effect\":\"Deny\",\"Action\":\"codeartifact:*\","
        + "\"Resource\":\"arn:aws:codeartifact:*:" + account + ":package/acme/team/npm//secret\"}]}";
    iam.putUserPolicy(b -> b.userName("reader").policyName("copier").policyDocument(copier));
    awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> reader.copyPackageVersions(b -> b
        .domain("acme").sourceRepository("team").destinationRepository("copies").format(PackageFormat.NPM)
        .packageValue("guarded").versions("1.0.0")));
    publish(key("team", "npm", "", "secret"), "1.0.0");
    awsError(AccessDeniedException.class, "AccessDeniedException", 403, () -> reader.describePackage(b -> b
        .domain("acme").repository("team").format(PackageFormat.NPM).packageValue("secret")));
    assertThat(reader.listPackageVersions(b -> b.domain("acme").repository("team").format(PackageFormat.NPM)
        .packageValue("guarded")).versions()).hasSize(1);
  }
}
