package dev.wharf.format.maven;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatContext;
import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.Renderings;
import dev.wharf.format.RepositoryLocation;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PackageSummary;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.VersionStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Maven format logic over {@link PackageService}: a package is (groupId as namespace, artifactId
 * as name), a version is a directory of the layout, and every file in it is an asset under its
 * own file name. Checksum files are never stored: uploaded ones are checked against the stored
 * file and requested ones are served from the digests computed when it was stored.
 * {@code maven-metadata.xml} is generated from the stored versions and files; uploaded copies are
 * discarded.
 *
 * <p>A release version is created Unfinished with its first file and becomes Published once its
 * POM and main artifact (per the POM's packaging; a {@code pom} packaging needs only the POM) are
 * in. Files are immutable: the same name again with identical bytes is a no-op, with different
 * bytes a conflict. A SNAPSHOT version is one package version whose timestamped builds accumulate
 * as assets (each build's files have their own names). Authorization is the caller's job.
 */
public final class MavenRegistry {
  public static final String FORMAT = "maven";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> JAR_PACKAGINGS = Set.of("jar", "maven-plugin", "bundle", "ejb", "ejb-client",
      "test-jar", "java-source", "javadoc", "eclipse-plugin", "takari-jar", "kotlin-jvm");
  private static final Set<String> OWN_EXTENSION_PACKAGINGS = Set.of("war", "ear", "rar", "aar", "zip", "hpi", "nbm",
      "jpi", "par", "sar", "har");

  private final FormatContext context;
  /** Rendered artifact-level maven-metadata.xml, kept while their package document is current. */
  private final Renderings<PackageKey> artifactMetadata;
  /**
   * Files this node stored in the last minutes, with whether storing them published their version:
   * Maven uploads a file and then its checksums, so a checksum that does not match takes back out a
   * file that was just stored, and only such a file (an older one is immutable).
   */
  private final com.github.benmanes.caffeine.cache.Cache<String, RecentFile> recent =
      com.github.benmanes.caffeine.cache.Caffeine.newBuilder().expireAfterWrite(RECENT_FILE_WINDOW)
          .maximumSize(RECENT_FILES).build();

  /**
   * How many recent files are remembered: about 3.5 MB of heap (an entry holds its key and digest, ~350 bytes).
   * Maven sends a file's checksums right after it, so at a sustained 60 files a second (a 20-minute soak) the
   * oldest is still a few minutes old when it is let go; 100,000 held 35 MB, a fifth of the default heap.
   */
  static final int RECENT_FILES = 10_000;

  /** How long after its upload a file can still be taken back by a mismatching checksum. */
  static final java.time.Duration RECENT_FILE_WINDOW = java.time.Duration.ofMinutes(10);

  private record RecentFile(String sha256, boolean publishedItsVersion) {}

  public MavenRegistry(FormatContext context) {
    this.context = java.util.Objects.requireNonNull(context, "context");
    this.artifactMetadata = new Renderings<>(context.renderings());
  }

  private static PackageKey key(RepositoryLocation location, String groupId, String artifactId) {
    return location.key(FORMAT, groupId, artifactId);
  }

  public enum PutOutcome {
    CREATED,
    /** The identical file was already there. */
    UNCHANGED
  }

  /** A stored file that may be downloaded. */
  Optional<PackageAsset> file(RepositoryLocation location, MavenPath.File file) {
    // Found here, else in the first upstream that has the file, else fetched by name from an external
    // connection (then retained here).
    return context.upstreams().versionWithAsset(key(location, file.groupId(), file.artifactId()), file.version(), file.fileName())
        .filter(v -> v.version().status().downloadable())
        .flatMap(v -> asset(v, file.fileName()));
  }

  /**
   * The artifact-level maven-metadata.xml, from the listed versions in publish order; when no such
   * artifact exists, the path may name a group ({@code org/apache/maven/plugins/maven-metadata.xml}):
   * then the group-level metadata listing its Maven plugins, if it has any.
   */
  Optional<RenderedMetadata> artifactMetadata(RepositoryLocation location, MavenPath.ArtifactMetadata path) {
    PackageKey artifactKey = key(location, path.groupId(), path.artifactId());
    // Through upstreams: the versions of the whole graph (the repository's own first), a document that is the
    // same instance while none of its sources changed, so its rendering is kept as long.
    Optional<PackageDocument> document = context.upstreams().document(artifactKey);
    if (document.isEmpty()) {
      return groupMetadata(location, path.groupId() + "." + path.artifactId())
          .map(xml -> RenderedMetadata.of(xml, null));
    }
    return artifactMetadata.get(artifactKey, document.get(), d -> render(path, d));
  }

  private static Optional<RenderedMetadata> render(MavenPath.ArtifactMetadata path, PackageDocument document) {
    List<String> versions = new ArrayList<>();
    String release = null;
    Instant lastUpdated = null;
    for (PackageDocument.VersionWithAssets v : document.versions()) {
      PackageVersion version = v.version();
      if (!version.status().listed()) {
        continue;
      }
      versions.add(version.version());
      if (!version.version().endsWith(MavenPath.SNAPSHOT)) {
        release = version.version();
      }
      if (lastUpdated == null || version.modifiedAt().isAfter(lastUpdated)) {
        lastUpdated = version.modifiedAt();
      }
    }
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(RenderedMetadata.of(MavenMetadata.artifact(path.groupId(), path.artifactId(), versions,
        versions.getLast(), release, lastUpdated), null));
  }

  /**
   * The plugins of a group: packages whose newest listed version's POM says {@code maven-plugin},
   * with the prefix Maven's naming convention gives ({@code maven-X-plugin} and
   * {@code X-maven-plugin} → X). Empty when the group has no plugin.
   */
  private Optional<byte[]> groupMetadata(RepositoryLocation location, String groupId) {
    List<MavenMetadata.Plugin> plugins = new ArrayList<>();
    for (PackageSummary summary : context.listing().listPackages(location.domainOwner(), location.domainName(),
        location.repository(), FORMAT, groupId, null)) {
      if (!summary.key().namespace().equals(groupId)) {
        continue;
      }
      context.packages().document(summary.key()).flatMap(d -> d.versions().stream()
          .map(PackageDocument.VersionWithAssets::version)
          .filter(v -> v.status().listed())
          .reduce((first, second) -> second))
          .ifPresent(newest -> {
            JsonNode metadata = readJson(newest.metadata());
            if ("maven-plugin".equals(metadata.path("packaging").asText())) {
              String artifactId = summary.key().name();
              String name = metadata.path("name").isTextual() ? metadata.path("name").asText() : artifactId;
              plugins.add(new MavenMetadata.Plugin(name, prefix(artifactId), artifactId));
            }
          });
    }
    return plugins.isEmpty() ? Optional.empty() : Optional.of(MavenMetadata.group(plugins));
  }

  static String prefix(String artifactId) {
    Matcher maven = java.util.regex.Pattern.compile("maven-(.+)-plugin").matcher(artifactId);
    if (maven.matches()) {
      return maven.group(1);
    }
    Matcher other = java.util.regex.Pattern.compile("(.+)-maven-plugin").matcher(artifactId);
    return other.matches() ? other.group(1) : artifactId;
  }

  private static JsonNode readJson(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      return node == null ? JSON.createObjectNode() : node;
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  /** A SNAPSHOT version's maven-metadata.xml, from its stored timestamped builds. */
  Optional<byte[]> versionMetadata(RepositoryLocation location, MavenPath.VersionMetadata path) {
    Optional<PackageDocument.VersionWithAssets> found =
        context.upstreams().version(key(location, path.groupId(), path.artifactId()), path.version());
    if (found.isEmpty() || !(found.get().version().status().downloadable()
        || found.get().version().status() == VersionStatus.UNFINISHED)) {
      return Optional.empty();
    }
    Map<String, MavenMetadata.SnapshotFile> newest = new LinkedHashMap<>();
    Map<String, Integer> newestBuild = new LinkedHashMap<>();
    String timestamp = null;
    int buildNumber = 0;
    for (PackageAsset asset : found.get().assets()) {
      MavenPath.File file;
      try {
        file = MavenPath.file(path.groupId(), path.artifactId(), path.version(), asset.name(), null);
      } catch (WharfException e) {
        continue;
      }
      int number = file.buildNumber();
      String stamp = null;
      if (number > 0) {
        Matcher m = MavenPath.BUILD.matcher(file.build());
        if (m.find()) {
          stamp = m.group(1);
        }
        if (number > buildNumber) {
          buildNumber = number;
          timestamp = stamp;
        }
      }
      String classifier = null;
      String extension;
      if (file.suffix().startsWith("-")) {
        int dot = file.suffix().indexOf('.');
        classifier = file.suffix().substring(1, dot);
        extension = file.suffix().substring(dot + 1);
      } else {
        extension = file.suffix().substring(1);
      }
      String slot = classifier + ":" + extension;
      if (!newestBuild.containsKey(slot) || number >= newestBuild.get(slot)) {
        newestBuild.put(slot, number);
        String updated = stamp == null ? MavenMetadata.LAST_UPDATED.format(found.get().version().modifiedAt())
            : stamp.replace(".", "");
        newest.put(slot, new MavenMetadata.SnapshotFile(classifier, extension, file.build(), updated));
      }
    }
    String lastUpdated = timestamp != null ? timestamp.replace(".", "")
        : MavenMetadata.LAST_UPDATED.format(found.get().version().modifiedAt());
    return Optional.of(MavenMetadata.snapshot(path.groupId(), path.artifactId(), path.version(), timestamp, buildNumber,
        lastUpdated, List.copyOf(newest.values())));
  }

  /**
   * Takes an uploaded artifact-level maven-metadata.xml as the signal CodeArtifact takes it for:
   * the deploy of the versions it lists is over, so an Unfinished one of them that has its POM
   * becomes Published (a POM-only artifact whose packaging says jar, common in Maven Central,
   * never gets a main artifact). Nothing else is read from it; a malformed one is ignored.
   */
  void metadataUploaded(RepositoryLocation location, MavenPath.ArtifactMetadata path, byte[] body) {
    PackageKey key = key(location, path.groupId(), path.artifactId());
    for (String version : MavenPom.listedVersions(body)) {
      find(key, version).filter(v -> v.version().status() == VersionStatus.UNFINISHED)
          .filter(v -> v.assets().stream().anyMatch(a -> a.name().endsWith(".pom")))
          .ifPresent(v -> context.lifecycle().updateStatus(key, version, VersionStatus.PUBLISHED));
    }
  }

  /**
   * Checks an uploaded checksum against the stored file.
   *
   * @throws WharfException.NotFound when the file is not stored
   * @throws WharfException.Invalid when it does not match (nothing is kept)
   */
  void verifyChecksum(RepositoryLocation location, MavenPath.File file, byte[] body) {
    PackageAsset asset = find(key(location, file.groupId(), file.artifactId()), file.version())
        .flatMap(v -> asset(v, file.fileName()))
        .orElseThrow(() -> new WharfException.NotFound(null, "No file " + file.fileName()
            + " to check this checksum against: upload the file first"));
    String sent = new String(body, StandardCharsets.UTF_8).strip();
    // the first word: `sha1sum` and the like write the file name after the checksum
    String value = sent.split("\\p{javaWhitespace}", 2)[0].toLowerCase(Locale.ROOT);
    MavenChecksum checksum = file.checksum();
    if (!value.equals(checksum.of(asset))) {
      PackageKey key = key(location, file.groupId(), file.artifactId());
      String message = "Checksum mismatch for " + file.fileName() + ": " + checksum.name().toLowerCase(Locale.ROOT)
          + " sent " + printable(value) + " but the stored file has " + checksum.of(asset);
      RecentFile fresh = recent.asMap().remove(recentKey(key, file.version(), file.fileName()));
      if (fresh != null && fresh.sha256().equals(asset.sha256())
          && context.publishing().removeAsset(key, file.version(), file.fileName(), asset.sha256())) {
        if (fresh.publishedItsVersion()) {
          context.lifecycle().updateStatus(key, file.version(), VersionStatus.UNFINISHED);
        }
        message += "; the file was not kept: upload it again";
      }
      throw new WharfException.Invalid("ChecksumMismatch", message);
    }
  }

  /**
   * Stores a file of a version, creating the version (Unfinished) with its first file and
   * completing it (Published) once its POM and main artifact are in.
   *
   * @throws WharfException.Conflict when a different file is already stored under that name, or the
   *     version's status admits no new files
   * @throws WharfException.TooLarge beyond the size limit (nothing is stored)
   */
  PutOutcome put(RepositoryLocation location, MavenPath.File file, InputStream body) {
    PackageKey key = key(location, file.groupId(), file.artifactId());
    boolean pom = file.suffix().equals(".pom");
    Optional<MavenPom> parsed = Optional.empty();
    InputStream content = body;
    if (pom) {
      byte[] bytes = readLimited(body, MavenPom.MAX_BYTES, file.fileName());
      // A POM that does not parse is kept as bytes but read for nothing.
      parsed = MavenPom.parse(bytes);
      content = new ByteArrayInputStream(bytes);
    }
    MessageDigest sha256 = sha256();
    DigestInputStream digesting = new DigestInputStream(content, sha256);
    PutOutcome outcome = null;
    Optional<PackageDocument.VersionWithAssets> existing = find(key, file.version());
    if (existing.isEmpty()) {
      String metadata = parsed.map(MavenPom::metadataJson).orElse("{}");
      try {
        context.publishing().publish(new PublishingService.Publication(key, file.version(),
            parsed.map(MavenPom::description).orElse(null), metadata, Map.of(), "INTERNAL", VersionStatus.UNFINISHED),
            List.of(new PublishingService.AssetContent(file.fileName(), digesting, context.maxAssetBytes())));
        outcome = PutOutcome.CREATED;
      } catch (WharfException.Conflict raced) {
        // Created meanwhile by another file's upload: the body is consumed and stored; add it from the blob.
        existing = find(key, file.version());
        if (existing.isEmpty()) {
          throw raced;
        }
        String digest = HexFormat.of().formatHex(sha256.digest());
        InputStream stored = context.packages().open(new PackageAsset(file.fileName(), digest, 0, null, null, null))
            .orElseThrow(() -> raced);
        outcome = add(key, existing.get(), file, stored, digest, parsed);
      }
    } else {
      outcome = add(key, existing.get(), file, digesting, null, parsed);
    }
    if (outcome == PutOutcome.CREATED) {
      boolean published = completeIfReady(key, file);
      find(key, file.version()).flatMap(v -> asset(v, file.fileName())).ifPresent(stored ->
          recent.put(recentKey(key, file.version(), file.fileName()), new RecentFile(stored.sha256(), published)));
    }
    return outcome;
  }

  private static String recentKey(PackageKey key, String version, String fileName) {
    return key.domainOwner() + "\n" + key.domainName() + "\n" + key.repository() + "\n" + key.namespace() + "\n"
        + key.name() + "\n" + version + "\n" + fileName;
  }

  /**
   * Adds a file to an existing version; a POM ({@code parsed}) becomes the version's metadata in the same
   * commit, so that a crash cannot leave it stored but unread (its retry would find it there and change nothing).
   */
  private PutOutcome add(PackageKey key, PackageDocument.VersionWithAssets existing, MavenPath.File file,
      InputStream content, String knownSha256, Optional<MavenPom> parsed) {
    VersionStatus status = existing.version().status();
    if (status != VersionStatus.PUBLISHED && status != VersionStatus.UNFINISHED) {
      throw new WharfException.Conflict("ConflictException", "Version " + file.version() + " of "
          + PackageService.displayName(key) + " is " + status.wireName() + ": no files can be added to it");
    }
    MessageDigest sha256 = sha256();
    DigestInputStream digesting = new DigestInputStream(content, sha256);
    Optional<PackageAsset> same = asset(existing, file.fileName());
    if (same.isPresent()) {
      if (knownSha256 != null) {
        closeQuietly(content);
        return same(same.get(), knownSha256, file);
      }
      return same(same.get(), drain(digesting), file);
    }
    if (context.publishing().addAssets(key, file.version(), List.of(new PublishingService.AssetContent(file.fileName(),
        digesting, context.maxAssetBytes())), parsed.map(MavenPom::metadataJson).orElse(null))) {
      return PutOutcome.CREATED;
    }
    // Lost a race with another upload of that file name: exactly one of them is stored.
    String digest = knownSha256 != null ? knownSha256 : HexFormat.of().formatHex(sha256.digest());
    PackageAsset stored = find(key, file.version()).flatMap(v -> asset(v, file.fileName()))
        .orElseThrow(() -> new WharfException.Conflict("ConflictException", "Version " + file.version()
            + " changed during the upload of " + file.fileName() + ": retry"));
    return same(stored, digest, file);
  }

  private static PutOutcome same(PackageAsset stored, String sha256, MavenPath.File file) {
    if (stored.sha256().equals(sha256)) {
      return PutOutcome.UNCHANGED;
    }
    throw new WharfException.Conflict("ConflictException", "File " + file.fileName() + " of " + file.groupId() + ":"
        + file.artifactId() + ":" + file.version() + " already exists with different content; files are immutable");
  }

  /** Publishes an Unfinished version once one build has its POM and its main artifact; true if it did. */
  private boolean completeIfReady(PackageKey key, MavenPath.File file) {
    Optional<PackageDocument.VersionWithAssets> current = find(key, file.version());
    if (current.isEmpty() || current.get().version().status() != VersionStatus.UNFINISHED) {
      return false;
    }
    String packaging = packaging(current.get().version().metadata());
    String base = file.artifactId() + "-" + file.build();
    List<PackageAsset> assets = current.get().assets();
    boolean hasPom = assets.stream().anyMatch(a -> a.name().equals(base + ".pom"));
    if (!hasPom) {
      return false;
    }
    boolean complete;
    if (packaging.equals("pom")) {
      complete = true;
    } else if (JAR_PACKAGINGS.contains(packaging) || OWN_EXTENSION_PACKAGINGS.contains(packaging)) {
      String extension = JAR_PACKAGINGS.contains(packaging) ? "jar" : packaging;
      complete = assets.stream().anyMatch(a -> a.name().equals(base + "." + extension));
    } else {
      // An unknown packaging: any unclassified file of the build other than the POM, a signature or module metadata.
      complete = assets.stream().anyMatch(a -> a.name().startsWith(base + ".") && !a.name().equals(base + ".pom")
          && !a.name().endsWith(".asc") && !a.name().equals(base + ".module"));
    }
    if (complete) {
      context.lifecycle().updateStatus(key, file.version(), VersionStatus.PUBLISHED);
    }
    return complete;
  }

  private static String packaging(String metadata) {
    JsonNode node = readJson(metadata);
    return node.path("packaging").isTextual() ? node.path("packaging").asText() : "jar";
  }

  private Optional<PackageDocument.VersionWithAssets> find(PackageKey key, String version) {
    return context.packages().document(key).flatMap(d -> d.versions().stream()
        .filter(v -> v.version().version().equals(version)).findFirst());
  }

  private static Optional<PackageAsset> asset(PackageDocument.VersionWithAssets version, String name) {
    return version.assets().stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** Reads the rest of a body (at most the file limit) and returns its sha256. */
  private String drain(DigestInputStream in) {
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        total += n;
        if (total > context.maxAssetBytes()) {
          throw new WharfException.TooLarge("The file exceeds the limit of " + context.maxAssetBytes() + " bytes");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(in.getMessageDigest().digest());
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // only a blob opened for reading
    }
  }

  private static byte[] readLimited(InputStream in, int limit, String name) {
    try {
      byte[] bytes = in.readNBytes(limit + 1);
      if (bytes.length > limit) {
        throw new WharfException.TooLarge("POM " + name + " exceeds the limit of " + limit + " bytes");
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String printable(String value) {
    String shown = value.length() > 130 ? value.substring(0, 130) + "..." : value;
    return "'" + shown.replaceAll("[^0-9a-zA-Z]", "?") + "'";
  }
}
