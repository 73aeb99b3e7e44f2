package dev.wharf.packages.infrastructure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.blob.FileBlobStore;
import dev.wharf.packages.OriginRestrictions;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PackageStore;
import dev.wharf.packages.PackageStore.InsertOutcome;
import dev.wharf.packages.PackageSummary;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.VersionStatus;
import dev.wharf.store.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The behaviour every {@link PackageStore} must have; run against SQLite and PostgreSQL. */
abstract class PackageStoreContract {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private static final PackageKey LEFTPAD = new PackageKey("111122223333", "acme", "app", "npm", "", "left-pad");
  private static final PackageKey SCOPED = new PackageKey("111122223333", "acme", "app", "npm", "acme", "util");

  private Database database;
  private PackageStore store;

  protected abstract Database openDatabase();

  /** The JDBC URL of a fresh, empty database (no schema yet). */
  protected abstract String freshDatabaseUrl();

  @BeforeEach
  void open() {
    database = openDatabase();
    store = new SqlPackageStore(database);
  }

  @AfterEach
  void close() {
    database.close();
  }

  private static PackageVersion version(PackageKey key, String version, String revision) {
    return new PackageVersion(key, version, VersionStatus.PUBLISHED, revision, NOW, NOW, "summary " + version,
        "{\"name\":\"" + key.name() + "\",\"version\":\"" + version + "\"}", "INTERNAL");
  }

  private static PackageAsset asset(char fill) {
    return new PackageAsset("package.tgz", String.valueOf(fill).repeat(64), 123, "md5", "sha1", "sha512");
  }

  @Test
  void aPublishedVersionIsStoredWithItsAssetsAndTagsAndIsImmutable() {
    assertThat(store.insertVersion(version(LEFTPAD, "1.0.0", "r1"), List.of(asset('a')), Map.of("latest", "1.0.0"), NOW))
        .isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.insertVersion(version(LEFTPAD, "1.0.0", "r2"), List.of(asset('b')), Map.of("latest", "1.0.0", "x", "1.0.0"),
        NOW)).isEqualTo(InsertOutcome.VERSION_EXISTS);

    assertThat(store.findVersion(LEFTPAD, "1.0.0")).get().extracting(PackageVersion::revision).isEqualTo("r1");
    assertThat(store.listAssets(LEFTPAD, "1.0.0")).containsExactly(asset('a'));
    assertThat(store.distTags(LEFTPAD)).isEqualTo(Map.of("latest", "1.0.0"));
    assertThat(store.findVersion(LEFTPAD, "2.0.0")).isEmpty();
    assertThat(store.findPackage(SCOPED)).isEmpty();
  }

  @Test
  void anAssetIsRemovedOnlyWithTheContentItHas() {
    store.insertVersion(version(LEFTPAD, "1.0.0", "r1"), List.of(asset('a')), Map.of(), NOW);
    PackageAsset stored = store.listAssets(LEFTPAD, "1.0.0").getFirst();
    assertThat(store.removeAsset(LEFTPAD, "1.0.0", stored.name(), "b".repeat(64), NOW)).isFalse();
    assertThat(store.listAssets(LEFTPAD, "1.0.0")).hasSize(1);
    assertThat(store.removeAsset(LEFTPAD, "1.0.0", stored.name(), stored.sha256(), NOW)).isTrue();
    assertThat(store.listAssets(LEFTPAD, "1.0.0")).isEmpty();
    assertThat(store.findVersion(LEFTPAD, "1.0.0")).isPresent();
    assertThat(store.removeAsset(LEFTPAD, "1.0.0", stored.name(), stored.sha256(), NOW)).isFalse();
  }

  @Test
  void aFileIsAddedWithItsCompanionsAndTheMetadataItGivesInOneGoDecidedByTheFirst() {
    store.insertVersion(version(LEFTPAD, "1.0.0", "r1"), List.of(asset('a')), Map.of(), NOW);
    PackageAsset wheel = new PackageAsset("x.whl", asset('b').sha256(), 3, "m", "s", "s5");
    PackageAsset core = new PackageAsset("x.whl.metadata", asset('c').sha256(), 3, "m", "s", "s5");
    assertThat(store.insertAssets(LEFTPAD, "1.0.0", List.of(wheel, core), "{\"pom\":1}", "r2", NOW.plusSeconds(1)))
        .isTrue();
    assertThat(store.listAssets(LEFTPAD, "1.0.0")).containsExactlyInAnyOrder(asset('a'), wheel, core);
    assertThat(store.findVersion(LEFTPAD, "1.0.0").orElseThrow()).satisfies(v -> {
      assertThat(v.metadata()).isEqualTo("{\"pom\":1}");
      assertThat(v.revision()).isEqualTo("r2");
    });
    // the first file is there: nothing changes, not even a companion that is missing or the metadata
    PackageAsset other = new PackageAsset("y.whl.metadata", asset('d').sha256(), 3, "m", "s", "s5");
    assertThat(store.insertAssets(LEFTPAD, "1.0.0", List.of(wheel, other), "{}", "r3", NOW.plusSeconds(2))).isFalse();
    assertThat(store.listAssets(LEFTPAD, "1.0.0")).hasSize(3);
    assertThat(store.findVersion(LEFTPAD, "1.0.0").orElseThrow().revision()).isEqualTo("r2");
    assertThat(store.insertAssets(LEFTPAD, "9.9.9", List.of(other), null, null, NOW)).isFalse();
  }

  @Test
  void aPackageCreatedByItsFirstVersionGetsTheOriginRestrictionsGivenAndKeepsThem() {
    OriginRestrictions published = new OriginRestrictions(OriginRestrictions.Mode.ALLOW, OriginRestrictions.Mode.BLOCK);
    OriginRestrictions upstream = new OriginRestrictions(OriginRestrictions.Mode.BLOCK, OriginRestrictions.Mode.ALLOW);
    store.insertVersion(version(LEFTPAD, "1.0.0", "r1"), List.of(), Map.of(), published, NOW);
    store.insertVersion(version(LEFTPAD, "2.0.0", "r2"), List.of(), Map.of(), upstream, NOW);
    assertThat(store.originRestrictions(LEFTPAD)).contains(published);
    store.putOriginRestrictions(SCOPED, upstream, NOW); // set before the package has a version: kept
    store.copyVersion(version(SCOPED, "1.0.0", "r1"), List.of(), false, published, NOW);
    assertThat(store.originRestrictions(SCOPED)).contains(upstream);
    PackageKey generic = new PackageKey("111122223333", "acme", "app", "generic", "ns", "g");
    store.publishAsset(new PackageVersion(generic, "1.0", VersionStatus.UNFINISHED, "g1", NOW, NOW, null, "{}",
        "INTERNAL"), asset('a'), published, NOW);
    assertThat(store.originRestrictions(generic)).contains(published);
  }

  @Test
  void anAssetIsAddedToAnExistingVersionOnlyOnceByName() {
    store.insertVersion(version(LEFTPAD, "1.0.0", "r1"), List.of(asset('a')), Map.of(), NOW);
    PackageAsset other = new PackageAsset("other.whl", asset('b').sha256(), 3, asset('b').md5(), asset('b').sha1(),
        asset('b').sha512());
    assertThat(store.insertAsset(LEFTPAD, "1.0.0", other, NOW.plusSeconds(1))).isTrue();
    assertThat(store.insertAsset(LEFTPAD, "1.0.0", other, NOW.plusSeconds(2))).isFalse();
    assertThat(store.insertAsset(LEFTPAD, "1.0.0", asset('c'), NOW.plusSeconds(2))).isFalse(); // same name as 'a'
    assertThat(store.insertAsset(LEFTPAD, "9.9.9", other, NOW)).isFalse();
    assertThat(store.listAssets(LEFTPAD, "1.0.0")).hasSize(2).contains(asset('a'), other);
    assertThat(store.findVersion(LEFTPAD, "9.9.9")).isEmpty();
    assertThat(store.findPackage(LEFTPAD).orElseThrow().modifiedAt()).isEqualTo(NOW.plusSeconds(1));
  }

  @Test
  void aDocumentHoldsEveryVersionInPublishOrderWithItsAssets() {
    store.insertVersion(version(SCOPED, "1.0.0", "r1"), List.of(asset('a')), Map.of("latest", "1.0.0"), NOW);
    store.insertVersion(new PackageVersion(SCOPED, "0.9.0", VersionStatus.PUBLISHED, "r2", NOW.plusSeconds(5),
        NOW.plusSeconds(5), null, "{}", "INTERNAL"), List.of(asset('b')), Map.of("old", "0.9.0"), NOW.plusSeconds(5));

    PackageDocument document = store.readDocument(SCOPED).orElseThrow();
    assertThat(document.versions()).extracting(v -> v.version().version()).containsExactly("1.0.0", "0.9.0");
    assertThat(document.versions().get(1).assets()).containsExactly(asset('b'));
    assertThat(document.distTags()).isEqualTo(Map.of("latest", "1.0.0", "old", "0.9.0"));
    assertThat(document.summary().createdAt()).isEqualTo(NOW);
    assertThat(document.summary().modifiedAt()).isEqualTo(NOW.plusSeconds(5));
    assertThat(store.readDocument(LEFTPAD)).isEmpty();
  }

  @Test
  void deletingARepositorysContentsLeavesOtherRepositoriesAlone() {
    PackageKey elsewhere = new PackageKey("111122223333", "acme", "other", "npm", "", "left-pad");
    store.insertVersion(version(LEFTPAD, "1.0.0", "r"), List.of(asset('a')), Map.of("latest", "1.0.0"), NOW);
    store.insertVersion(version(SCOPED, "1.0.0", "r"), List.of(), Map.of(), NOW);
    store.insertVersion(version(elsewhere, "1.0.0", "r"), List.of(asset('b')), Map.of("latest", "1.0.0"), NOW);

    store.deleteRepositoryContents("111122223333", "acme", "app");

    assertThat(store.listPackages("111122223333", "acme", "app", null, null, null)).isEmpty();
    assertThat(store.findVersion(LEFTPAD, "1.0.0")).isEmpty();
    assertThat(store.distTags(LEFTPAD)).isEmpty();
    assertThat(store.listAssets(elsewhere, "1.0.0")).containsExactly(asset('b'));
    assertThat(store.distTags(elsewhere)).isEqualTo(Map.of("latest", "1.0.0"));
  }

  @Test
  void packageNamesArePagedInNameOrderWithinOneFormatAndNamespace() {
    for (String name : List.of("c", "a", "e", "b", "d")) {
      store.insertVersion(version(new PackageKey("111122223333", "acme", "app", "pypi", "", name), "1.0", "r"), List.of(),
          Map.of(), NOW);
    }
    store.insertVersion(version(LEFTPAD, "1.0.0", "r"), List.of(), Map.of(), NOW);
    store.insertVersion(version(new PackageKey("111122223333", "acme", "other", "pypi", "", "x"), "1.0", "r"), List.of(),
        Map.of(), NOW);
    assertThat(store.packageNames("111122223333", "acme", "app", "pypi", "", null, 2)).containsExactly("a", "b");
    assertThat(store.packageNames("111122223333", "acme", "app", "pypi", "", "b", 2)).containsExactly("c", "d");
    assertThat(store.packageNames("111122223333", "acme", "app", "pypi", "", "d", 2)).containsExactly("e");
    assertThat(store.packageNames("111122223333", "acme", "app", "pypi", "", "e", 2)).isEmpty();
    assertThat(store.packageNames("111122223333", "acme", "app", "npm", "", null, 10)).containsExactly("left-pad");
  }

  @Test
  void packagesAreListedByFormatNamespaceAndPrefix() {
    store.insertVersion(version(LEFTPAD, "1.0.0", "r"), List.of(), Map.of(), NOW);
    store.insertVersion(version(SCOPED, "1.0.0", "r"), List.of(), Map.of(), NOW);
    store.insertVersion(version(new PackageKey("111122223333", "acme", "other", "npm", "", "left-pad"), "1.0.0", "r"),
        List.of(), Map.of(), NOW);

    assertThat(store.listPackages("111122223333", "acme", "app", null, null, null)).extracting(PackageSummary::key)
        .containsExactly(LEFTPAD, SCOPED);
    assertThat(store.listPackages("111122223333", "acme", "app", "npm", "acme", null)).extracting(PackageSummary::key)
        .containsExactly(SCOPED);
    assertThat(store.listPackages("111122223333", "acme", "app", null, null, "left")).extracting(PackageSummary::key)
        .containsExactly(LEFTPAD);
    assertThat(store.listPackages("111122223333", "acme", "app", null, "ac", null)).extracting(PackageSummary::key)
        .as("the namespace filter is a prefix, and never matches a package without a namespace").containsExactly(SCOPED);
    assertThat(store.listPackages("111122223333", "acme", "app", null, "acmex", null)).isEmpty();
    assertThat(store.listPackages("111122223333", "acme", "app", "pypi", null, null)).isEmpty();
  }

  @Test
  void packagePagesWalkTheListingInItsOrderWithEveryFilterInTheQuery() {
    List<PackageKey> keys = new ArrayList<>();
    for (String[] k : new String[][] {{"npm", "", "b"}, {"npm", "", "a"}, {"npm", "acme", "util"}, {"npm", "acme", "core"},
        {"maven", "org.example", "core"}, {"maven", "org.example.tools", "cli"}, {"maven", "organic", "food"},
        {"pypi", "", "a"}, {"pypi", "", "a-b"}, {"pypi", "", "ab"}}) {
      PackageKey key = new PackageKey("111122223333", "acme", "app", k[0], k[1], k[2]);
      keys.add(key);
      store.insertVersion(version(key, "1.0", "r"), List.of(), Map.of(), NOW);
    }
    store.insertVersion(version(new PackageKey("111122223333", "acme", "other", "npm", "", "x"), "1.0", "r"), List.of(),
        Map.of(), NOW);
    var blockPublish = new OriginRestrictions(OriginRestrictions.Mode.BLOCK, OriginRestrictions.Mode.ALLOW);
    var blockUpstream = new OriginRestrictions(OriginRestrictions.Mode.ALLOW, OriginRestrictions.Mode.BLOCK);
    store.putOriginRestrictions(keys.get(1), blockPublish, NOW); // npm a
    store.putOriginRestrictions(keys.get(4), blockUpstream, NOW); // maven org.example core
    store.putOriginRestrictions(keys.get(8), OriginRestrictions.DEFAULT, NOW); // pypi a-b, a row saying ALLOW/ALLOW
    // A package that has only an origin configuration (no version yet) is listed too.
    PackageKey configuredOnly = new PackageKey("111122223333", "acme", "app", "npm", "", "c");
    store.putOriginRestrictions(configuredOnly, blockPublish, NOW);

    List<PackageKey> everything = store.listPackages("111122223333", "acme", "app", null, null, null).stream()
        .map(PackageSummary::key).toList();
    assertThat(everything).hasSize(11);
    for (int limit : new int[] {1, 2, 3, 11, 50}) {
      assertThat(walk(PackageStore.PackageFilter.NONE, limit)).as("limit %d", limit).extracting(l -> l.summary().key())
          .containsExactlyElementsOf(everything);
    }
    List<PackageStore.ListedPackage> all = walk(PackageStore.PackageFilter.NONE, 4);
    assertThat(all).filteredOn(l -> l.summary().key().equals(keys.get(1))).singleElement()
        .extracting(PackageStore.ListedPackage::restrictions).isEqualTo(blockPublish);
    assertThat(all).filteredOn(l -> l.summary().key().equals(keys.get(0))).singleElement()
        .extracting(PackageStore.ListedPackage::restrictions).isEqualTo(OriginRestrictions.DEFAULT);
    assertThat(all.getFirst().summary().createdAt()).isEqualTo(NOW);

    assertThat(names(new PackageStore.PackageFilter(null, null, null, OriginRestrictions.Mode.BLOCK, null), 1))
        .containsExactly("npm//a", "npm//c");
    assertThat(names(new PackageStore.PackageFilter(null, null, null, null, OriginRestrictions.Mode.BLOCK), 1))
        .containsExactly("maven/org.example/core");
    assertThat(names(new PackageStore.PackageFilter(null, null, null, OriginRestrictions.Mode.ALLOW,
        OriginRestrictions.Mode.ALLOW), 2)).as("no row is ALLOW/ALLOW").hasSize(8).contains("npm//b", "pypi//a-b")
        .doesNotContain("npm//a", "npm//c", "maven/org.example/core");
    assertThat(names(new PackageStore.PackageFilter("maven", "org.example", null, null, null), 1))
        .containsExactly("maven/org.example/core", "maven/org.example.tools/cli");
    assertThat(names(new PackageStore.PackageFilter(null, "ac", null, null, null), 1))
        .as("the namespace filter is a prefix and never matches a package without one")
        .containsExactly("npm/acme/core", "npm/acme/util");
    assertThat(names(new PackageStore.PackageFilter("pypi", null, "a", OriginRestrictions.Mode.ALLOW, null), 2))
        .containsExactly("pypi//a", "pypi//a-b", "pypi//ab");
    assertThat(names(new PackageStore.PackageFilter("generic", null, null, null, null), 5)).isEmpty();
    assertThat(store.listPackagesPage("111122223333", "acme", "app", PackageStore.PackageFilter.NONE,
        PackageStore.PackagePosition.of(everything.getLast()), 5)).isEmpty();
  }

  private List<PackageStore.ListedPackage> walk(PackageStore.PackageFilter filter, int limit) {
    List<PackageStore.ListedPackage> found = new ArrayList<>();
    PackageStore.PackagePosition after = null;
    while (true) {
      List<PackageStore.ListedPackage> page = store.listPackagesPage("111122223333", "acme", "app", filter, after, limit);
      assertThat(page.size()).isLessThanOrEqualTo(limit);
      found.addAll(page);
      if (page.size() < limit) {
        return found;
      }
      after = PackageStore.PackagePosition.of(page.getLast().summary().key());
    }
  }

  private List<String> names(PackageStore.PackageFilter filter, int limit) {
    return walk(filter, limit).stream().map(l -> l.summary().key())
        .map(k -> k.format() + "/" + k.namespace() + "/" + k.name()).toList();
  }

  @Test
  void distTagsPointOnlyAtExistingVersions() {
    store.insertVersion(version(LEFTPAD, "1.0.0", "r"), List.of(), Map.of("latest", "1.0.0"), NOW);
    assertThat(store.putDistTag(LEFTPAD, "beta", "1.0.0", NOW)).isTrue();
    assertThat(store.putDistTag(LEFTPAD, "beta", "9.9.9", NOW)).isFalse();
    assertThat(store.distTags(LEFTPAD)).isEqualTo(Map.of("latest", "1.0.0", "beta", "1.0.0"));
    assertThat(store.deleteDistTag(LEFTPAD, "beta", NOW)).isTrue();
    assertThat(store.deleteDistTag(LEFTPAD, "beta", NOW)).isFalse();
  }

  @Test
  void metadataAndStatusChangeWithANewRevision() {
    store.insertVersion(version(LEFTPAD, "1.0.0", "r1"), List.of(), Map.of(), NOW);
    assertThat(store.updateVersionMetadata(LEFTPAD, "1.0.0", "{\"deprecated\":\"no\"}", null, "r2", NOW.plusSeconds(1)))
        .isTrue();
    assertThat(store.updateVersionStatus(LEFTPAD, "1.0.0", VersionStatus.UNLISTED, "r3", NOW.plusSeconds(2))).isTrue();
    assertThat(store.updateVersionStatus(LEFTPAD, "2.0.0", VersionStatus.UNLISTED, "r3", NOW)).isFalse();
    PackageVersion stored = store.findVersion(LEFTPAD, "1.0.0").orElseThrow();
    assertThat(stored.metadata()).isEqualTo("{\"deprecated\":\"no\"}");
    assertThat(stored.status()).isEqualTo(VersionStatus.UNLISTED);
    assertThat(stored.revision()).isEqualTo("r3");
    assertThat(stored.publishedAt()).isEqualTo(NOW);
  }

  @Test
  void aMetadataChangeExpectingAnOldRevisionIsRefused() {
    store.insertVersion(version(LEFTPAD, "1.0.0", "r1"), List.of(), Map.of(), NOW);
    assertThat(store.updateVersionMetadata(LEFTPAD, "1.0.0", "{\"a\":1}", "r1", "r2", NOW)).isTrue();
    assertThat(store.updateVersionMetadata(LEFTPAD, "1.0.0", "{\"b\":1}", "r1", "r3", NOW)).isFalse();
    assertThat(store.updateVersionMetadata(LEFTPAD, "9.9.9", "{\"b\":1}", null, "r3", NOW)).isFalse();
    PackageVersion stored = store.findVersion(LEFTPAD, "1.0.0").orElseThrow();
    assertThat(stored.metadata()).isEqualTo("{\"a\":1}");
    assertThat(stored.revision()).isEqualTo("r2");
  }

  @Test
  void metadataChangesMadeAtOnceThroughTwoServicesAllStay(@TempDir Path directory) throws Exception {
    store.insertVersion(version(LEFTPAD, "1.0.0", "r1"), List.of(), Map.of(), NOW);
    var blobs = new FileBlobStore(directory);
    // two services over one store: two nodes of a cluster, each with its own cached documents
    List<PackageService> nodes = List.of(new PackageService(store, blobs, Clock.systemUTC()),
        new PackageService(store, blobs, Clock.systemUTC()));
    int changes = 8;
    ExecutorService pool = Executors.newFixedThreadPool(changes);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < changes; i++) {
        String field = "f" + i;
        PackageService node = nodes.get(i % 2);
        done.add(pool.submit(() -> {
          go.await();
          node.changeMetadata(LEFTPAD, "1.0.0", stored -> {
            ObjectNode document;
            try {
              document = JSON.readTree(stored.metadata()) instanceof ObjectNode object ? object : JSON.createObjectNode();
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
            return Optional.of(document.put(field, true).toString());
          });
          return null;
        }));
      }
      go.countDown();
      for (Future<?> change : done) {
        change.get();
      }
    } finally {
      pool.shutdownNow();
    }
    var stored = JSON.readTree(store.findVersion(LEFTPAD, "1.0.0").orElseThrow().metadata());
    for (int i = 0; i < changes; i++) {
      assertThat(stored.path("f" + i).asBoolean()).as("f" + i).isTrue();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void ofConcurrentPublishesOfOneVersionExactlyOneWinsAndNoneIsHalfVisible() throws Exception {
    int contenders = 8;
    ExecutorService pool = Executors.newFixedThreadPool(contenders);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<InsertOutcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < contenders; i++) {
        char fill = (char) ('a' + i);
        Callable<InsertOutcome> publish = () -> {
          go.await();
          return store.insertVersion(version(LEFTPAD, "1.0.0", "r" + fill), List.of(asset(fill)),
              Map.of("latest", "1.0.0", "t" + fill, "1.0.0"), NOW);
        };
        outcomes.add(pool.submit(publish));
      }
      go.countDown();
      List<InsertOutcome> results = new ArrayList<>();
      for (Future<InsertOutcome> outcome : outcomes) {
        results.add(outcome.get());
      }
      assertThat(results).filteredOn(InsertOutcome.INSERTED::equals).hasSize(1);
      String winner = store.findVersion(LEFTPAD, "1.0.0").orElseThrow().revision();
      char fill = winner.charAt(1);
      assertThat(store.listAssets(LEFTPAD, "1.0.0")).containsExactly(asset(fill));
      assertThat(store.distTags(LEFTPAD)).isEqualTo(Map.of("latest", "1.0.0", "t" + fill, "1.0.0"));
    } finally {
      pool.shutdownNow();
    }
  }

  // ---------------------------------------------------------------- publishAsset (generic packages)

  private static final PackageKey GENERIC = new PackageKey("111122223333", "acme", "app", "generic", "ns", "tool");

  private static PackageVersion generic(VersionStatus status, String revision, Instant at) {
    return new PackageVersion(GENERIC, "1.0", status, revision, at, at, null, "{}", "INTERNAL");
  }

  private static PackageAsset named(String name, char fill) {
    return new PackageAsset(name, String.valueOf(fill).repeat(64), 10, "md5", "sha1", "sha512");
  }

  @Test
  void anUnfinishedVersionTakesAssetsUntilItIsPublishedThenNoNewOne() {
    var created = store.publishAsset(generic(VersionStatus.UNFINISHED, "r1", NOW), named("a.bin", 'a'), NOW);
    assertThat(created.outcome()).isEqualTo(PackageStore.AssetOutcome.CREATED);
    assertThat(created.version().status()).isEqualTo(VersionStatus.UNFINISHED);

    var same = store.publishAsset(generic(VersionStatus.UNFINISHED, "r2", NOW.plusSeconds(1)), named("a.bin", 'a'), NOW);
    assertThat(same.outcome()).isEqualTo(PackageStore.AssetOutcome.UNCHANGED);
    assertThat(same.version().revision()).isEqualTo("r1");

    var conflict = store.publishAsset(generic(VersionStatus.UNFINISHED, "r3", NOW), named("a.bin", 'b'), NOW);
    assertThat(conflict.outcome()).isEqualTo(PackageStore.AssetOutcome.ASSET_CONFLICT);

    var finished = store.publishAsset(generic(VersionStatus.PUBLISHED, "r4", NOW.plusSeconds(2)), named("b.bin", 'b'),
        NOW.plusSeconds(2));
    assertThat(finished.outcome()).isEqualTo(PackageStore.AssetOutcome.UPDATED);
    assertThat(finished.version().status()).isEqualTo(VersionStatus.PUBLISHED);
    assertThat(finished.version().revision()).isEqualTo("r4");
    assertThat(finished.version().publishedAt()).isEqualTo(NOW);

    assertThat(store.publishAsset(generic(VersionStatus.UNFINISHED, "r5", NOW), named("c.bin", 'c'), NOW).outcome())
        .isEqualTo(PackageStore.AssetOutcome.NOT_UNFINISHED);
    var again = store.publishAsset(generic(VersionStatus.UNFINISHED, "r6", NOW), named("b.bin", 'b'), NOW);
    assertThat(again.outcome()).isEqualTo(PackageStore.AssetOutcome.UNCHANGED);
    assertThat(again.version().status()).isEqualTo(VersionStatus.PUBLISHED);

    assertThat(store.listAssets(GENERIC, "1.0")).extracting(PackageAsset::name).containsExactly("a.bin", "b.bin");
    assertThat(store.findVersion(GENERIC, "1.0")).get().extracting(PackageVersion::revision).isEqualTo("r4");
  }

  @Test
  void concurrentAssetsAndACompletionNeverLeaveAnAssetAddedAfterPublication() throws Exception {
    store.publishAsset(generic(VersionStatus.UNFINISHED, "r0", NOW), named("first.bin", '0'), NOW);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<PackageStore.AssetPublication>> results = new ArrayList<>();
    try {
      for (int i = 0; i < 8; i++) {
        int n = i;
        Callable<PackageStore.AssetPublication> task = () -> {
          go.await();
          VersionStatus status = n == 3 ? VersionStatus.PUBLISHED : VersionStatus.UNFINISHED;
          return store.publishAsset(generic(status, "r" + (n + 1), NOW), named("file-" + n, (char) ('a' + n)), NOW);
        };
        results.add(pool.submit(task));
      }
      go.countDown();
      List<String> added = new ArrayList<>(List.of("first.bin"));
      for (int i = 0; i < results.size(); i++) {
        var outcome = results.get(i).get().outcome();
        if (outcome == PackageStore.AssetOutcome.UPDATED) {
          added.add("file-" + i);
        } else {
          assertThat(outcome).isEqualTo(PackageStore.AssetOutcome.NOT_UNFINISHED);
        }
      }
      assertThat(added).contains("file-3");
      assertThat(store.listAssets(GENERIC, "1.0")).extracting(PackageAsset::name).containsExactlyInAnyOrderElementsOf(added);
      assertThat(store.findVersion(GENERIC, "1.0")).get().extracting(PackageVersion::status)
          .isEqualTo(VersionStatus.PUBLISHED);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void originRestrictionsArePutOnAPackageThatMayNotExistYet() {
    OriginRestrictions blocked = new OriginRestrictions(OriginRestrictions.Mode.BLOCK, OriginRestrictions.Mode.ALLOW);
    assertThat(store.originRestrictions(LEFTPAD)).isEmpty();

    store.putOriginRestrictions(LEFTPAD, blocked, NOW);
    assertThat(store.findPackage(LEFTPAD)).isPresent();
    assertThat(store.listVersions(LEFTPAD)).isEmpty();
    assertThat(store.originRestrictions(LEFTPAD)).contains(blocked);

    OriginRestrictions upstreamBlocked = new OriginRestrictions(OriginRestrictions.Mode.ALLOW,
        OriginRestrictions.Mode.BLOCK);
    store.putOriginRestrictions(LEFTPAD, upstreamBlocked, NOW.plusSeconds(1));
    assertThat(store.originRestrictions(LEFTPAD)).contains(upstreamBlocked);
  }

  @Test
  void aStatusChangeIsACompareAndSetOnTheRevisionAndDisposingRemovesTheAssets() {
    store.insertVersion(version(LEFTPAD, "1.0.0", "r1"), List.of(asset('a')), Map.of("latest", "1.0.0"), NOW);

    assertThat(store.changeVersionStatus(LEFTPAD, "1.0.0", "stale", VersionStatus.ARCHIVED, "r2", false, NOW)).isFalse();
    assertThat(store.findVersion(LEFTPAD, "1.0.0").orElseThrow().status()).isEqualTo(VersionStatus.PUBLISHED);

    assertThat(store.changeVersionStatus(LEFTPAD, "1.0.0", "r1", VersionStatus.ARCHIVED, "r2", false, NOW)).isTrue();
    assertThat(store.findVersion(LEFTPAD, "1.0.0").orElseThrow()).extracting(PackageVersion::status,
        PackageVersion::revision).containsExactly(VersionStatus.ARCHIVED, "r2");
    assertThat(store.listAssets(LEFTPAD, "1.0.0")).hasSize(1);

    assertThat(store.changeVersionStatus(LEFTPAD, "1.0.0", "r2", VersionStatus.DISPOSED, "r3", true, NOW)).isTrue();
    assertThat(store.findVersion(LEFTPAD, "1.0.0").orElseThrow().status()).isEqualTo(VersionStatus.DISPOSED);
    assertThat(store.listAssets(LEFTPAD, "1.0.0")).isEmpty();
    assertThat(store.changeVersionStatus(LEFTPAD, "9.9.9", "r1", VersionStatus.ARCHIVED, "r4", false, NOW)).isFalse();
  }

  @Test
  void deletingAVersionRemovesItsAssetsAndTagsAndDeletingAPackageRemovesEverything() {
    store.insertVersion(version(LEFTPAD, "1.0.0", "r1"), List.of(asset('a')), Map.of("latest", "1.0.0"), NOW);
    store.insertVersion(version(LEFTPAD, "2.0.0", "r2"), List.of(asset('b')), Map.of("next", "2.0.0"), NOW);
    store.putOriginRestrictions(LEFTPAD, OriginRestrictions.DEFAULT, NOW);

    assertThat(store.deleteVersion(LEFTPAD, "1.0.0", "stale", NOW)).isFalse();
    assertThat(store.deleteVersion(LEFTPAD, "1.0.0", "r1", NOW)).isTrue();
    assertThat(store.findVersion(LEFTPAD, "1.0.0")).isEmpty();
    assertThat(store.listAssets(LEFTPAD, "1.0.0")).isEmpty();
    assertThat(store.distTags(LEFTPAD)).isEqualTo(Map.of("next", "2.0.0"));

    assertThat(store.deletePackage(LEFTPAD)).isTrue();
    assertThat(store.findPackage(LEFTPAD)).isEmpty();
    assertThat(store.listVersions(LEFTPAD)).isEmpty();
    assertThat(store.originRestrictions(LEFTPAD)).isEmpty();
    assertThat(store.deletePackage(LEFTPAD)).isFalse();
  }

  @Test
  void aCopiedVersionSharesTheBlobsAndOverwritesOnlyWhenAsked() {
    PackageKey copyKey = new PackageKey("111122223333", "acme", "other", "npm", "", "left-pad");
    PackageVersion copy = new PackageVersion(copyKey, "1.0.0", VersionStatus.UNLISTED, "r1", NOW, NOW, null, "{}",
        "INTERNAL");
    assertThat(store.copyVersion(copy, List.of(asset('a')), false, NOW)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.copyVersion(copy, List.of(asset('b')), false, NOW)).isEqualTo(InsertOutcome.VERSION_EXISTS);
    assertThat(store.listAssets(copyKey, "1.0.0")).containsExactly(asset('a'));

    assertThat(store.copyVersion(copy, List.of(asset('b')), true, NOW)).isEqualTo(InsertOutcome.INSERTED);
    assertThat(store.listAssets(copyKey, "1.0.0")).containsExactly(asset('b'));
    assertThat(store.findVersion(copyKey, "1.0.0").orElseThrow().status()).isEqualTo(VersionStatus.UNLISTED);
  }

  private static PackageStore.VersionPosition after(Instant publishedAt, String version) {
    return new PackageStore.VersionPosition(publishedAt, version);
  }

  @Test
  void versionsWithTheSamePublishTimeArePagedByNameWithoutLosingOrRepeatingAny() {
    for (String version : List.of("2.0.0", "1.0.0", "3.0.0", "1.5.0")) {
      store.insertVersion(new PackageVersion(LEFTPAD, version, VersionStatus.PUBLISHED, "r", NOW, NOW, null, "{}",
          "INTERNAL"), List.of(), Map.of(), NOW);
    }
    for (boolean newestFirst : List.of(false, true)) {
      List<String> walked = new java.util.ArrayList<>();
      PackageStore.VersionPosition position = null;
      while (true) {
        List<PackageVersion> page = store.listVersionsPage(LEFTPAD, null, null, newestFirst, position, 1);
        if (page.isEmpty()) {
          break;
        }
        walked.add(page.getFirst().version());
        position = PackageStore.VersionPosition.of(page.getFirst());
      }
      List<String> expected = newestFirst ? List.of("3.0.0", "2.0.0", "1.5.0", "1.0.0")
          : List.of("1.0.0", "1.5.0", "2.0.0", "3.0.0");
      assertThat(walked).isEqualTo(expected);
    }
  }

  @Test
  void versionsArePagedInPublishOrderOrNewestFirstWithFilters() {
    for (int i = 0; i < 5; i++) {
      store.insertVersion(new PackageVersion(LEFTPAD, "1.0." + i, i == 2 ? VersionStatus.UNLISTED : VersionStatus.PUBLISHED,
          "r" + i, NOW.plusSeconds(i), NOW, null, "{}", i == 4 ? "EXTERNAL" : "INTERNAL"), List.of(), Map.of(), NOW);
    }
    assertThat(store.listVersionsPage(LEFTPAD, null, null, false, null, 2)).extracting(PackageVersion::version)
        .containsExactly("1.0.0", "1.0.1");
    assertThat(store.listVersionsPage(LEFTPAD, null, null, false, after(NOW.plusSeconds(1), "1.0.1"), 10))
        .extracting(PackageVersion::version).containsExactly("1.0.2", "1.0.3", "1.0.4");
    assertThat(store.listVersionsPage(LEFTPAD, null, null, true, null, 2)).extracting(PackageVersion::version)
        .containsExactly("1.0.4", "1.0.3");
    assertThat(store.listVersionsPage(LEFTPAD, null, null, true, after(NOW.plusSeconds(3), "1.0.3"), 10))
        .extracting(PackageVersion::version).containsExactly("1.0.2", "1.0.1", "1.0.0");
    assertThat(store.listVersionsPage(LEFTPAD, "Unlisted", null, false, null, 10)).extracting(PackageVersion::version)
        .containsExactly("1.0.2");
    assertThat(store.listVersionsPage(LEFTPAD, "Published", "INTERNAL", false, null, 10)).extracting(PackageVersion::version)
        .containsExactly("1.0.0", "1.0.1", "1.0.3");
    assertThat(store.listVersionsPage(LEFTPAD, "Published", null, false, after(NOW.plusSeconds(1), "1.0.1"), 1))
        .extracting(PackageVersion::version).as("after a position, whatever status the skipped versions have")
        .containsExactly("1.0.3");
    assertThat(store.listVersionsPage(LEFTPAD, null, null, false, after(NOW.plusSeconds(4), "1.0.4"), 10)).isEmpty();
    var read = store.listVersionsPage(LEFTPAD, null, null, false, null, 1).getFirst();
    assertThat(read.key()).isEqualTo(LEFTPAD);
    assertThat(read.revision()).isEqualTo("r0");
    assertThat(read.publishedAt()).isEqualTo(NOW);
    assertThat(read.origin()).isEqualTo("INTERNAL");
    assertThat(read.status()).isEqualTo(VersionStatus.PUBLISHED);
    assertThat(store.latestPublishedVersion(LEFTPAD)).contains("1.0.4");
    assertThat(store.latestPublishedVersion(SCOPED)).isEmpty();
  }

  @Test
  void theDomainEntryPointIsStoredAndReadByEveryWriteAndRead() {
    PackageKey team = new PackageKey("111122223333", "acme", "team", "npm", "", "left-pad");
    PackageVersion.EntryPoint shared = PackageVersion.EntryPoint.repository("shared");
    PackageVersion.EntryPoint npmjs = PackageVersion.EntryPoint.externalConnection("public:npmjs");
    store.insertVersion(new PackageVersion(team, "1.0.0", VersionStatus.PUBLISHED, "r1", NOW, NOW, null, "{}", "INTERNAL",
        shared), List.of(asset('a')), Map.of(), NOW);
    store.insertVersion(new PackageVersion(team, "2.0.0", VersionStatus.PUBLISHED, "r2", NOW.plusSeconds(1),
        NOW.plusSeconds(1), null, "{}", "EXTERNAL", npmjs), List.of(asset('b')), Map.of(), NOW);
    store.copyVersion(new PackageVersion(team, "3.0.0", VersionStatus.PUBLISHED, "r3", NOW.plusSeconds(2),
        NOW.plusSeconds(2), null, "{}", "EXTERNAL", PackageVersion.EntryPoint.UNKNOWN), List.of(), true, NOW);
    store.publishAsset(new PackageVersion(GENERIC, "1.0", VersionStatus.UNFINISHED, "g1", NOW, NOW, null, "{}",
        "INTERNAL"), asset('c'), NOW);
    PackageStore.AssetPublication completed = store.publishAsset(new PackageVersion(GENERIC, "1.0",
        VersionStatus.PUBLISHED, "g2", NOW, NOW, null, "{}", "INTERNAL"), asset('d'), NOW);

    assertThat(store.findVersion(team, "1.0.0").orElseThrow().entryPoint()).isEqualTo(shared);
    assertThat(store.findVersion(team, "2.0.0").orElseThrow().entryPoint()).isEqualTo(npmjs);
    assertThat(store.findVersion(team, "3.0.0").orElseThrow().entryPoint()).isEqualTo(PackageVersion.EntryPoint.UNKNOWN);
    assertThat(store.listVersionsPage(team, null, null, false, null, 10)).extracting(PackageVersion::entryPoint)
        .containsExactly(shared, npmjs, PackageVersion.EntryPoint.UNKNOWN);
    assertThat(store.readDocument(team).orElseThrow().versions()).extracting(v -> v.version().entryPoint())
        .containsExactly(shared, npmjs, PackageVersion.EntryPoint.UNKNOWN);
    assertThat(completed.version().entryPoint()).isEqualTo(PackageVersion.EntryPoint.repository(GENERIC.repository()));
    assertThat(store.findVersion(GENERIC, "1.0").orElseThrow().entryPoint())
        .isEqualTo(PackageVersion.EntryPoint.repository(GENERIC.repository()));
  }

  @Test
  void packageNamesCanLeaveOutThoseOtherRepositoriesHave() {
    for (String repository : List.of("team", "shared", "base")) {
      for (String name : switch (repository) {
        case "team" -> List.of("a", "c");
        case "shared" -> List.of("a", "b", "d");
        default -> List.of("b", "e", "f");
      }) {
        store.insertVersion(version(new PackageKey("111122223333", "acme", repository, "pypi", "", name), "1.0", "r"),
            List.of(), Map.of(), NOW);
      }
    }
    store.insertVersion(version(new PackageKey("111122223333", "acme", "team", "npm", "", "e"), "1.0", "r"), List.of(),
        Map.of(), NOW);
    assertThat(store.packageNames("111122223333", "acme", "shared", "pypi", "", List.of("team"), null, 10))
        .containsExactly("b", "d");
    assertThat(store.packageNames("111122223333", "acme", "base", "pypi", "", List.of("team", "shared"), null, 1))
        .containsExactly("e");
    assertThat(store.packageNames("111122223333", "acme", "base", "pypi", "", List.of("team", "shared"), "e", 1))
        .containsExactly("f");
    assertThat(store.packageNames("111122223333", "acme", "base", "pypi", "", List.of("team", "shared"), "f", 1)).isEmpty();
  }

  @Test
  void migrationTwelveGivesInternalVersionsTheRepositoryTheirLineageWasPublishedTo() {
    String url = freshDatabaseUrl();
    org.flywaydb.core.Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
        .table("wharf_schema_history").target("11").load().migrate();
    org.jdbi.v3.core.Jdbi jdbi = org.jdbi.v3.core.Jdbi.create(url);
    // shared published 1.0.0 (r1); team retained it later; copies keep the revision. other published its own (r2).
    oldVersion(jdbi, "shared", "p", "1.0.0", "r1", 1000, "INTERNAL");
    oldVersion(jdbi, "team", "p", "1.0.0", "r1", 5000, "INTERNAL");
    oldVersion(jdbi, "copies", "p", "1.0.0", "r1", 9000, "INTERNAL");
    oldVersion(jdbi, "other", "p", "1.0.0", "r2", 2000, "INTERNAL");
    oldVersion(jdbi, "team", "q", "1.0.0", "r3", 3000, "EXTERNAL");

    try (Database migrated = Database.open(url)) {
      PackageStore after = new SqlPackageStore(migrated);
      java.util.function.BiFunction<String, String, PackageVersion.EntryPoint> entry = (repository, name) -> after
          .findVersion(new PackageKey("111122223333", "acme", repository, "npm", "", name), "1.0.0").orElseThrow()
          .entryPoint();
      assertThat(entry.apply("shared", "p")).isEqualTo(PackageVersion.EntryPoint.repository("shared"));
      assertThat(entry.apply("team", "p")).isEqualTo(PackageVersion.EntryPoint.repository("shared"));
      assertThat(entry.apply("copies", "p")).isEqualTo(PackageVersion.EntryPoint.repository("shared"));
      assertThat(entry.apply("other", "p")).isEqualTo(PackageVersion.EntryPoint.repository("other"));
      assertThat(entry.apply("team", "q")).isEqualTo(PackageVersion.EntryPoint.UNKNOWN);
    }
  }

  private static void oldVersion(org.jdbi.v3.core.Jdbi jdbi, String repository, String name, String version,
      String revision, long modified, String origin) {
    jdbi.useHandle(h -> {
      h.createUpdate("INSERT INTO packages (domain_owner, domain_name, repository, format, namespace, name, created_at,"
          + " modified_at) VALUES ('111122223333', 'acme', :repository, 'npm', '', :name, 0, 0) ON CONFLICT DO NOTHING")
          .bind("repository", repository).bind("name", name).execute();
      h.createUpdate("INSERT INTO package_versions (domain_owner, domain_name, repository, format, namespace, name, version,"
          + " status, revision, published_at, modified_at, summary, metadata, origin) VALUES ('111122223333', 'acme',"
          + " :repository, 'npm', '', :name, :version, 'Published', :revision, 1000, :modified, NULL, '{}', :origin)")
          .bind("repository", repository).bind("name", name).bind("version", version).bind("revision", revision)
          .bind("modified", modified).bind("origin", origin).execute();
    });
  }

  @Test
  void theVersionATagNamesComesFirstWhenItExistsElseTheNewestPublishedOne() {
    for (int i = 0; i < 4; i++) {
      store.insertVersion(new PackageVersion(LEFTPAD, "1.0." + i, i == 3 ? VersionStatus.UNLISTED : VersionStatus.PUBLISHED,
          "r" + i, NOW.plusSeconds(i), NOW, null, "{}", "INTERNAL"), List.of(), i == 0 ? Map.of("latest", "1.0.0")
          : Map.of(), NOW);
    }
    assertThat(store.taggedOrLatestPublishedVersion(LEFTPAD, "latest")).contains("1.0.0");
    assertThat(store.taggedOrLatestPublishedVersion(LEFTPAD, "next")).as("tag not set").contains("1.0.2");
    assertThat(store.taggedOrLatestPublishedVersion(LEFTPAD, null)).contains("1.0.2");
    store.putDistTag(LEFTPAD, "latest", "1.0.3", NOW);
    assertThat(store.taggedOrLatestPublishedVersion(LEFTPAD, "latest")).as("whatever the tagged version's status")
        .contains("1.0.3");
    store.deleteVersion(LEFTPAD, "1.0.3", "r3", NOW);
    assertThat(store.taggedOrLatestPublishedVersion(LEFTPAD, "latest")).as("a tag naming a version that is gone")
        .contains("1.0.2");
    assertThat(store.taggedOrLatestPublishedVersion(SCOPED, "latest")).isEmpty();
  }
}
