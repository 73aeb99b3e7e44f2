package dev.wharf.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.blob.FileBlobStore;
import dev.wharf.store.Database;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingGc;
import dev.wharf.testing.TestingPackages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream graph's search order, merging, retention and origin controls, on SQLite. */
class UpstreamServiceTest {
  @TempDir Path directory;
  Database database;
  FileBlobStore blobs;
  PackageService packages;
  OriginControlService origins;
  PublishingService publishing;
  VersionLifecycleService lifecycle;
  Map<String, List<String>> graph;
  UpstreamService upstreams;

  @BeforeEach
  void open() throws IOException {
    database = TestingDatabases.sqlite(directory);
    blobs = new FileBlobStore(directory.resolve("blobs"));
    TestingPackages services = TestingPackages.over(database, blobs, Clock.systemUTC());
    packages = services.packages();
    origins = services.origins();
    publishing = services.publishing();
    lifecycle = services.lifecycle();
    // app → [a, b]; a → [c]: depth first, app, a, c, b.
    graph = Map.of("app", List.of("a", "b"), "a", List.of("c"));
    upstreams = services.upstreams((owner, domain, repository) -> graph.getOrDefault(repository, List.of()));
  }

  @AfterEach
  void close() throws IOException {
    blobs.close();
    database.close();
  }

  static PackageKey key(String repository) {
    return new PackageKey("111122223333", "acme", repository, "npm", "", "lib");
  }

  void publish(String repository, String version) {
    publishing.publish(new PublishingService.Publication(key(repository), version, "from " + repository, "{}", Map.of(),
        "INTERNAL"), List.of(new PublishingService.AssetContent("package.tgz",
        new ByteArrayInputStream((repository + version).getBytes(StandardCharsets.UTF_8)), 1000)));
  }

  @Test
  void aVersionIsTakenFromTheFirstRepositoryInDepthFirstOrderAndRetained() {
    publish("b", "1.0.0");
    publish("c", "1.0.0");
    var found = upstreams.version(key("app"), "1.0.0").orElseThrow();
    assertThat(found.version().key().repository()).isEqualTo("app");
    assertThat(found.version().summary()).as("c (through a) comes before b").isEqualTo("from c");
    assertThat(packages.versions(key("app"))).extracting(PackageVersion::version).containsExactly("1.0.0");
    assertThat(packages.versions(key("a"))).as("intermediate repositories do not retain").isEmpty();
    assertThat(origins.originRestrictions(key("app")))
        .isEqualTo(new OriginRestrictions(OriginRestrictions.Mode.BLOCK, OriginRestrictions.Mode.ALLOW));

    // The upstream loses the version: the retained copy remains.
    lifecycle.deleteVersions(key("c"), List.of("1.0.0"), null);
    assertThat(upstreams.version(key("app"), "1.0.0")).get().extracting(v -> v.version().summary()).isEqualTo("from c");
  }

  @Test
  void theMergedDocumentListsTheWholeGraphWithTheRepositorysOwnVersionFirst() {
    origins.putOriginRestrictions(key("app"), OriginRestrictions.DEFAULT);
    publish("app", "1.0.0");
    publish("b", "1.0.0");
    publish("b", "2.0.0");
    publish("c", "3.0.0");
    PackageDocument merged = upstreams.document(key("app")).orElseThrow();
    assertThat(merged.versions()).extracting(v -> v.version().version()).containsExactly("1.0.0", "2.0.0", "3.0.0");
    assertThat(merged.versions().getFirst().version().summary()).isEqualTo("from app");
    assertThat(upstreams.document(key("app"))).as("the same instance while no source changed").containsSame(merged);
  }

  @Test
  void upstreamBlockStopsTheSearchInThatRepositoryOnly() {
    publish("c", "1.0.0");
    publish("b", "2.0.0");
    origins.putOriginRestrictions(key("a"), new OriginRestrictions(OriginRestrictions.Mode.ALLOW,
        OriginRestrictions.Mode.BLOCK));
    assertThat(upstreams.document(key("app")).orElseThrow().versions()).extracting(v -> v.version().version())
        .containsExactly("2.0.0");
    origins.putOriginRestrictions(key("app"), new OriginRestrictions(OriginRestrictions.Mode.ALLOW,
        OriginRestrictions.Mode.BLOCK));
    assertThat(upstreams.version(key("app"), "2.0.0")).isEmpty();
  }

  /** Package groups that refuse the ways named, per repository ("app:INTERNAL_UPSTREAM"). */
  private final java.util.Set<String> groupRefuses = new java.util.HashSet<>();

  private void refuseInGroup(String repository, dev.wharf.catalog.PackageGroup.RestrictionType type) {
    groupRefuses.add(repository + ":" + type);
    origins.groupRestrictions((key, t) -> groupRefuses.contains(key.repository() + ":" + t)
        ? Optional.of("group /npm/* (" + t + ": BLOCK)") : Optional.empty());
  }

  @Test
  void aGroupBlockingInternalUpstreamKeepsThatRepositoryFromItsUpstreamRepositoriesOnly() {
    origins.putOriginRestrictions(key("app"), OriginRestrictions.DEFAULT);
    publish("c", "1.0.0");
    publish("b", "2.0.0");
    refuseInGroup("a", dev.wharf.catalog.PackageGroup.RestrictionType.INTERNAL_UPSTREAM);
    assertThat(upstreams.searchedRepositories(key("app"))).containsExactly("app", "a", "b");
    assertThat(upstreams.version(key("app"), "1.0.0")).as("c is reached through a only").isEmpty();
    assertThat(upstreams.version(key("app"), "2.0.0")).isPresent();

    refuseInGroup("app", dev.wharf.catalog.PackageGroup.RestrictionType.INTERNAL_UPSTREAM);
    publish("b", "3.0.0");
    assertThat(upstreams.searchedRepositories(key("app"))).containsExactly("app");
    assertThat(upstreams.version(key("app"), "3.0.0")).isEmpty();
    assertThat(origins.effectiveRestrictions(key("app"))).as("an external connection could still bring versions")
        .isEqualTo(OriginRestrictions.DEFAULT);
    refuseInGroup("app", dev.wharf.catalog.PackageGroup.RestrictionType.EXTERNAL_UPSTREAM);
    assertThat(origins.effectiveRestrictions(key("app"))).as("no way in from upstreams is left")
        .isEqualTo(new OriginRestrictions(OriginRestrictions.Mode.ALLOW, OriginRestrictions.Mode.BLOCK));
    assertThat(origins.originRestrictions(key("app"))).as("the package's own configuration is unchanged")
        .isEqualTo(OriginRestrictions.DEFAULT);
  }

  @Test
  void aGroupBlockingExternalUpstreamKeepsTheConnectionUnaskedButNotTheUpstreamRepositories() {
    origins.putOriginRestrictions(key("app"), OriginRestrictions.DEFAULT);
    upstreams.externalSource(new UpstreamService.ExternalSource() {
      @Override
      public boolean connected(PackageKey key) {
        return key.repository().equals("app");
      }

      @Override
      public Optional<PackageDocument> document(PackageKey key) {
        throw new AssertionError("the connection is asked although the group blocks EXTERNAL_UPSTREAM");
      }

      @Override
      public PackageDocument.VersionWithAssets fetch(PackageDocument.VersionWithAssets remote, String assetName) {
        throw new AssertionError("nothing to fetch");
      }
    });
    refuseInGroup("app", dev.wharf.catalog.PackageGroup.RestrictionType.EXTERNAL_UPSTREAM);
    publish("b", "1.0.0");
    assertThat(upstreams.version(key("app"), "1.0.0")).isPresent();
    assertThat(origins.effectiveRestrictions(key("app"))).isEqualTo(OriginRestrictions.DEFAULT);
  }

  @Test
  void aPublishIsRefusedWhenThePackageOrItsGroupBlocksItBlockWinning() {
    refuseInGroup("b", dev.wharf.catalog.PackageGroup.RestrictionType.PUBLISH);
    assertThatThrownBy(() -> publish("b", "1.0.0")).isInstanceOf(dev.wharf.error.WharfException.AccessDenied.class)
        .hasMessageContaining("group /npm/* (PUBLISH: BLOCK)");
    assertThat(packages.versions(key("b"))).isEmpty();
    publish("c", "1.0.0"); // the group allows c
    origins.putOriginRestrictions(key("c"), new OriginRestrictions(OriginRestrictions.Mode.BLOCK,
        OriginRestrictions.Mode.ALLOW));
    assertThatThrownBy(() -> publish("c", "2.0.0")).hasMessageContaining("publish: BLOCK");
    assertThat(origins.effectiveRestrictions(key("b")).publish()).isEqualTo(OriginRestrictions.Mode.BLOCK);
    assertThat(origins.effectiveRestrictions(key("c")).publish()).isEqualTo(OriginRestrictions.Mode.BLOCK);
  }

  @Test
  void aPackagePublishedDirectlyTakesNothingFromUpstreamsByDefault() {
    publish("app", "1.0.0");
    publish("b", "9.9.9");
    assertThat(upstreams.document(key("app")).orElseThrow().versions()).extracting(v -> v.version().version())
        .containsExactly("1.0.0");
    assertThat(upstreams.version(key("app"), "9.9.9")).isEmpty();
  }

  @Test
  void anUnavailableExternalConnectionIsAnErrorOnlyWhenNothingElseAnswers() {
    upstreams.externalSource(new UpstreamService.ExternalSource() {
      @Override
      public boolean connected(PackageKey key) {
        return key.repository().equals("b");
      }

      @Override
      public Optional<PackageDocument> document(PackageKey key) {
        throw new UpstreamUnavailableException("public:npmjs: down");
      }

      @Override
      public PackageDocument.VersionWithAssets fetch(PackageDocument.VersionWithAssets remote, String assetName) {
        throw new AssertionError("nothing to fetch");
      }
    });
    assertThatThrownBy(() -> upstreams.document(key("app"))).isInstanceOf(UpstreamUnavailableException.class)
        .hasMessageContaining("public:npmjs");
    assertThatThrownBy(() -> upstreams.version(key("app"), "1.0.0")).isInstanceOf(UpstreamUnavailableException.class);
    publish("c", "1.0.0");
    assertThat(upstreams.document(key("app")).orElseThrow().versions()).hasSize(1);
    assertThat(upstreams.version(key("app"), "1.0.0")).isPresent();
  }

  @Test
  void aRetainedVersionKeepsTheRepositoryItWasPublishedToAsItsEntryPointThroughEveryLevel() {
    publish("c", "1.0.0");
    var retained = upstreams.version(key("a"), "1.0.0").orElseThrow();
    assertThat(retained.version().key().repository()).isEqualTo("a");
    assertThat(retained.version().entryPoint()).isEqualTo(PackageVersion.EntryPoint.repository("c"));
    // app reads it through a, which now has its own copy: still c.
    var again = upstreams.version(key("app"), "1.0.0").orElseThrow();
    assertThat(again.version().entryPoint()).isEqualTo(PackageVersion.EntryPoint.repository("c"));
    assertThat(packages.version(key("app"), "1.0.0").orElseThrow().origin()).isEqualTo("INTERNAL");
    assertThat(packages.version(key("c"), "1.0.0").orElseThrow().entryPoint())
        .isEqualTo(PackageVersion.EntryPoint.repository("c"));
  }

  @Test
  void repositoriesAreWalkedDepthFirstOnceAndNotPastAnUpstreamBlockForThePackage() {
    graph = Map.of("app", List.of("a", "b"), "a", List.of("c", "b"), "c", List.of("app"));
    assertThat(upstreams.graph("111122223333", "acme", "app")).containsExactly("app", "a", "c", "b");
    assertThat(upstreams.searchedRepositories(key("app"))).containsExactly("app", "a", "c", "b");
    origins.putOriginRestrictions(key("a"), new OriginRestrictions(OriginRestrictions.Mode.ALLOW,
        OriginRestrictions.Mode.BLOCK));
    assertThat(upstreams.searchedRepositories(key("app"))).containsExactly("app", "a", "b");
    assertThat(upstreams.graph("111122223333", "acme", "app")).as("names are listed whatever packages say")
        .containsExactly("app", "a", "c", "b");
  }

  @Test
  void copyWithUpstreamsTakesTheFirstUpstreamsVersionWithItsRevisionAndEntryPoint() {
    publish("b", "1.0.0");
    publish("c", "2.0.0");
    publish("app", "3.0.0");
    origins.putOriginRestrictions(key("app"), OriginRestrictions.DEFAULT); // published in app: upstream BLOCK otherwise
    String revision = packages.version(key("c"), "2.0.0").orElseThrow().revision();

    var without = lifecycle.copyVersions(key("app"), "dest", List.of("1.0.0", "2.0.0", "3.0.0"), Map.of(), false,
        v -> Optional.empty());
    assertThat(without.outcomes().get("3.0.0")).isInstanceOf(VersionLifecycleService.VersionOutcome.Succeeded.class);
    assertThat(without.outcomes().get("1.0.0")).isInstanceOf(VersionLifecycleService.VersionOutcome.Failed.class);

    var with = lifecycle.copyVersions(key("app"), "dest", List.of("1.0.0", "2.0.0"), Map.of("2.0.0", revision), false,
        upstreams.upstreamVersions(key("app")));
    assertThat(with.outcomes().get("1.0.0")).isInstanceOf(VersionLifecycleService.VersionOutcome.Succeeded.class);
    assertThat(with.outcomes().get("2.0.0")).isEqualTo(new VersionLifecycleService.VersionOutcome.Succeeded(revision,
        "Published"));
    assertThat(packages.version(key("dest"), "2.0.0").orElseThrow().entryPoint())
        .isEqualTo(PackageVersion.EntryPoint.repository("c"));
    assertThat(packages.assets(key("dest"), "2.0.0")).isEqualTo(packages.assets(key("c"), "2.0.0"));
    assertThat(packages.versions(key("app"))).as("nothing retained in the source").extracting(PackageVersion::version)
        .containsExactly("3.0.0");
  }

  /** An external connection on b whose metadata lists versions without files (as Maven's does). */
  final class ByName implements UpstreamService.ExternalSource {
    final java.util.List<String> fetched = new java.util.ArrayList<>();

    @Override
    public boolean connected(PackageKey key) {
      return key.repository().equals("b");
    }

    @Override
    public Optional<PackageDocument> document(PackageKey key) {
      java.time.Instant start = java.time.Instant.parse("2020-01-01T00:00:00Z");
      List<PackageDocument.VersionWithAssets> versions = new java.util.ArrayList<>();
      for (String version : List.of("1.0.0", "2.0.0", "3.0.0")) {
        java.time.Instant at = start.plusSeconds(versions.size());
        versions.add(new PackageDocument.VersionWithAssets(new PackageVersion(key, version, VersionStatus.PUBLISHED,
            "external", at, at, null, "{}", "EXTERNAL"), List.of()));
      }
      return Optional.of(new PackageDocument(new PackageSummary(key, start, start), versions, Map.of()));
    }

    @Override
    public PackageDocument.VersionWithAssets fetch(PackageDocument.VersionWithAssets remote, String assetName) {
      throw new AssertionError("files are found by name here");
    }

    @Override
    public Optional<PackageDocument.VersionWithAssets> fetchNamed(PackageDocument.VersionWithAssets remote,
        String assetName) {
      fetched.add(remote.version().version() + "/" + assetName);
      if (assetName.endsWith(".asc")) {
        return Optional.empty();
      }
      byte[] content = assetName.getBytes(StandardCharsets.UTF_8);
      String sha1;
      try {
        sha1 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(content));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
      boolean pom = assetName.endsWith(".pom"); // the file that describes the version
      return Optional.of(publishing.ingest(new PublishingService.Publication(remote.version().key(),
          remote.version().version(), pom ? "from the pom" : null, pom ? "{\"description\":\"from the pom\"}" : "{}",
          Map.of(), "EXTERNAL"), new PublishingService.AssetContent(assetName,
          new ByteArrayInputStream(content), 1000), new PublishingService.ExpectedDigests(null, null, sha1), "public:test",
          "test"));
    }
  }

  @Test
  void aFileFoundByNameIsFetchedFromTheExternalConnectionAndKeptInItsRepositoryAndTheOneAsked() {
    ByName external = new ByName();
    upstreams.externalSource(external);
    var found = upstreams.versionWithAsset(key("app"), "2.0.0", "lib-2.0.0.jar").orElseThrow();
    assertThat(found.version().key().repository()).isEqualTo("app");
    assertThat(found.version().origin()).isEqualTo("EXTERNAL");
    assertThat(found.assets()).extracting(PackageAsset::name).containsExactly("lib-2.0.0.jar");
    assertThat(packages.versions(key("b"))).extracting(PackageVersion::version).containsExactly("2.0.0");

    // A second file of the version joins the first, in both repositories; one the upstream lacks is not found.
    upstreams.versionWithAsset(key("app"), "2.0.0", "lib-2.0.0.pom").orElseThrow();
    assertThat(packages.assets(key("app"), "2.0.0")).extracting(PackageAsset::name)
        .containsExactlyInAnyOrder("lib-2.0.0.jar", "lib-2.0.0.pom");
    assertThat(packages.assets(key("b"), "2.0.0")).hasSize(2);
    assertThat(upstreams.versionWithAsset(key("app"), "2.0.0", "lib-2.0.0.jar.asc")).isEmpty();
    assertThat(upstreams.versionWithAsset(key("app"), "9.9.9", "lib-9.9.9.jar")).as("not listed").isEmpty();
    assertThat(external.fetched).containsExactly("2.0.0/lib-2.0.0.jar", "2.0.0/lib-2.0.0.pom",
        "2.0.0/lib-2.0.0.jar.asc");

    // Listed without files: version() does not retain an empty copy.
    assertThat(upstreams.version(key("app"), "3.0.0")).isEmpty();
    // The merged listing keeps the upstream's order though 2.0.0 was stored just now.
    assertThat(upstreams.document(key("app")).orElseThrow().versions()).extracting(v -> v.version().version())
        .containsExactly("1.0.0", "2.0.0", "3.0.0");
  }

  @Test
  void aVersionPublishedInTheDomainIsNeverCompletedWithAPublicRegistrysFiles() {
    ByName external = new ByName();
    upstreams.externalSource(external);
    publish("c", "1.0.0"); // INTERNAL, searched (app → a → c) before b's connection
    assertThat(upstreams.versionWithAsset(key("app"), "1.0.0", "lib-1.0.0-sources.jar")).isEmpty();
    assertThat(external.fetched).isEmpty();
    assertThat(upstreams.versionWithAsset(key("app"), "1.0.0", "package.tgz")).as("its own file still comes")
        .get().extracting(v -> v.version().origin()).isEqualTo("INTERNAL");
  }

  @Test
  void aCopyTakenOutOfUseInARepositorySearchedBeforeIsNotCompletedFromTheConnection() {
    ByName external = new ByName();
    upstreams.externalSource(external);
    var fetched = upstreams.versionWithAsset(key("b"), "2.0.0", "lib-2.0.0.jar").orElseThrow();
    publishing.retain("c", fetched); // app → a → c: c holds an EXTERNAL copy, then archives it
    lifecycle.updateStatus(key("c"), "2.0.0", VersionStatus.ARCHIVED);
    assertThat(upstreams.versionWithAsset(key("app"), "2.0.0", "lib-2.0.0.pom")).isEmpty();
    assertThat(external.fetched).containsExactly("2.0.0/lib-2.0.0.jar");
  }

  @Test
  void aPomArrivingAfterTheJarFillsTheVersionsMetadataInTheConnectedRepositoryAndTheOneAsked() {
    upstreams.externalSource(new ByName());
    upstreams.versionWithAsset(key("app"), "2.0.0", "lib-2.0.0.jar").orElseThrow();
    assertThat(packages.version(key("app"), "2.0.0").orElseThrow().metadata()).isEqualTo("{}");

    upstreams.versionWithAsset(key("app"), "2.0.0", "lib-2.0.0.pom").orElseThrow();
    for (String repository : List.of("b", "app")) {
      PackageVersion version = packages.version(key(repository), "2.0.0").orElseThrow();
      assertThat(version.metadata()).as(repository).isEqualTo("{\"description\":\"from the pom\"}");
      assertThat(version.summary()).as(repository).isEqualTo("from the pom");
    }
  }

  @Test
  void aDocumentThePackageServiceLetsGoIsNotKeptAliveByTheSearch() throws InterruptedException {
    publish("b", "1.0.0");
    WeakReference<PackageDocument> read = new WeakReference<>(upstreams.document(key("b")).orElseThrow());
    assertThat(upstreams.document(key("b")).orElseThrow()).as("the package service's instance, as it is")
        .isSameAs(read.get());

    packages.invalidateAll();
    assertThat(TestingGc.collected(read)).as("a single source is not held beside the package service's cache")
        .isTrue();
  }

  @Test
  void aMergeIsReusedWhileItsSourcesAreCurrentAndDoesNotKeepThemAlive() throws InterruptedException {
    publish("c", "1.0.0");
    publish("b", "2.0.0");
    PackageDocument merged = upstreams.document(key("app")).orElseThrow();
    assertThat(merged.versions()).extracting(v -> v.version().version()).containsExactly("1.0.0", "2.0.0");
    assertThat(upstreams.document(key("app")).orElseThrow()).as("the sources have not changed").isSameAs(merged);
    WeakReference<PackageDocument> source = new WeakReference<>(packages.document(key("b")).orElseThrow());

    packages.invalidateAll();
    assertThat(TestingGc.collected(source)).as("the merge holds its sources weakly").isTrue();
    PackageDocument again = upstreams.document(key("app")).orElseThrow();
    assertThat(again).as("new sources, a new merge").isNotSameAs(merged);
    assertThat(again.versions()).extracting(v -> v.version().version()).containsExactly("1.0.0", "2.0.0");
  }
}
