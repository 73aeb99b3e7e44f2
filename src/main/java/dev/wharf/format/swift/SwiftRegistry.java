package dev.wharf.format.swift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatContext;
import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.Renderings;
import dev.wharf.format.RepositoryLocation;
import dev.wharf.format.SemVer;
import dev.wharf.format.VersionDocument;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageStore;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.PublishingService;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Swift package releases in a repository: publishing (a source archive checked and its manifests kept
 * as assets of the version), the release list, a release's information, its manifests and its archive,
 * and the lookup of identifiers by repository URL.
 *
 * <p>A version's document holds the scope and name as published, the release metadata the client sent
 * (SE-0391's schema), the archive's file name, the manifests found in it (file, Swift version, tools
 * version) and the signatures, if the release was signed. The checksum is the stored archive's SHA-256,
 * never the client's word.
 */
final class SwiftRegistry {
  static final String FORMAT = "swift";
  static final String SIGNATURE_FORMAT = "cms-1.0.0";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_REPOSITORY_URLS = 100;
  private static final int MAX_URL_LENGTH = 2048;
  /** How many packages one identifier lookup reads at most, so that a lookup costs the same in any repository. */
  private static final int LOOKUP_SCAN_LIMIT = 100_000;
  private static final int LOOKUP_PAGE = 1000;

  private final FormatContext context;
  private final Renderings<ListKey> releaseLists;

  private final com.github.benmanes.caffeine.cache.Cache<PackageDocument, List<PackageDocument.VersionWithAssets>>
      sortedReleases = com.github.benmanes.caffeine.cache.Caffeine.newBuilder().weakKeys().maximumSize(10_000).build();

  private record ListKey(PackageKey key, String endpoint) {}

  SwiftRegistry(FormatContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.releaseLists = new Renderings<>(context.renderings());
  }

  static PackageKey key(RepositoryLocation location, String scope, String name) {
    return location.key(FORMAT, SwiftNames.key(scope), SwiftNames.key(name));
  }

  // ---------------------------------------------------------------- publishing

  /** What a publish request carries, its files spooled. */
  record Upload(String scope, String name, String version, Path archive, byte[] archiveSignature,
      String metadata, byte[] metadataSignature, String signatureFormat) {}

  /**
   * Checks and stores a release: its archive's layout and manifests, its metadata, its signatures.
   *
   * @throws WharfException.Conflict when the release exists, whatever its content (section 4.6)
   * @throws WharfException.Invalid for a malformed archive (400) or one the registry refuses (422);
   *     nothing is stored then
   */
  PackageVersion publish(RepositoryLocation location, Upload upload) {
    PackageKey key = key(location, upload.scope(), upload.name());
    requireNew(key, upload);
    ObjectNode metadata = metadata(upload.metadata());
    List<SwiftArchive.Manifest> manifests = SwiftArchive.manifests(upload.archive());
    ObjectNode document = JSON.createObjectNode();
    document.put("scope", upload.scope());
    document.put("name", upload.name());
    String archiveName = upload.name() + "-" + upload.version() + ".zip";
    document.put("archive", archiveName);
    document.set("metadata", metadata);
    ArrayNode listed = document.putArray("manifests");
    for (SwiftArchive.Manifest manifest : manifests) {
      ObjectNode entry = listed.addObject().put("file", manifest.fileName());
      if (manifest.swiftVersion() != null) {
        entry.put("swiftVersion", manifest.swiftVersion());
      }
      if (manifest.toolsVersion() != null) {
        entry.put("toolsVersion", manifest.toolsVersion());
      }
    }
    if (upload.archiveSignature() != null) {
      document.putObject("signing").put("signatureBase64Encoded",
          Base64.getEncoder().encodeToString(upload.archiveSignature())).put("signatureFormat", upload.signatureFormat());
    }
    if (upload.metadataSignature() != null) {
      document.putObject("metadataSigning").put("signatureBase64Encoded",
          Base64.getEncoder().encodeToString(upload.metadataSignature())).put("signatureFormat", upload.signatureFormat());
    }
    String summary = metadata.path("description").isTextual() ? metadata.path("description").asText() : null;
    try (InputStream archive = Files.newInputStream(upload.archive())) {
      List<PublishingService.AssetContent> assets = new ArrayList<>();
      assets.add(new PublishingService.AssetContent(archiveName, archive, context.maxAssetBytes()));
      for (SwiftArchive.Manifest manifest : manifests) {
        assets.add(new PublishingService.AssetContent(manifest.fileName(), new ByteArrayInputStream(manifest.content()),
            SwiftArchive.MAX_MANIFEST_BYTES));
      }
      return context.publishing().publish(new PublishingService.Publication(key, upload.version(), summary,
          document.toString(), Map.of(), "INTERNAL"), assets);
    } catch (WharfException.Conflict raced) {
      throw exists(upload.version());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A release once published never changes: publishing it again is a 409 (versions differing in build metadata alike). */
  private void requireNew(PackageKey key, Upload upload) {
    boolean exists = context.packages().document(key).stream().flatMap(d -> d.versions().stream())
        .anyMatch(v -> SemVer.withoutBuild(v.version().version()).equals(SemVer.withoutBuild(upload.version())));
    if (exists) {
      throw exists(upload.version());
    }
  }

  private static WharfException exists(String version) {
    return new WharfException.Conflict(null, "a release with version " + version + " already exists");
  }

  /** The release metadata (section 4.6.2): a JSON object, the schema's fields of the right types; empty when none was sent. */
  static ObjectNode metadata(String text) {
    if (text == null || text.isBlank()) {
      return JSON.createObjectNode();
    }
    JsonNode parsed;
    try {
      parsed = JSON.readTree(text);
    } catch (IOException e) {
      throw unprocessable("invalid JSON provided for release metadata");
    }
    if (!(parsed instanceof ObjectNode object)) {
      throw unprocessable("invalid JSON provided for release metadata: it must be an object");
    }
    for (String field : List.of("description", "licenseURL", "readmeURL", "originalPublicationTime")) {
      if (object.has(field) && !object.get(field).isTextual()) {
        throw unprocessable("invalid release metadata: '" + field + "' must be a string");
      }
    }
    JsonNode urls = object.path("repositoryURLs");
    if (!urls.isMissingNode()) {
      if (!urls.isArray() || urls.size() > MAX_REPOSITORY_URLS) {
        throw unprocessable("invalid release metadata: 'repositoryURLs' must be a list of at most "
            + MAX_REPOSITORY_URLS + " URLs");
      }
      for (JsonNode url : urls) {
        if (!url.isTextual() || url.asText().isBlank() || url.asText().length() > MAX_URL_LENGTH) {
          throw unprocessable("invalid release metadata: each of 'repositoryURLs' must be a URL of at most "
              + MAX_URL_LENGTH + " characters");
        }
      }
    }
    JsonNode author = object.path("author");
    if (!author.isMissingNode() && !(author.isObject() && author.path("name").isTextual())) {
      throw unprocessable("invalid release metadata: 'author' must be an object with a 'name'");
    }
    return object;
  }

  private static WharfException unprocessable(String message) {
    return new WharfException.Invalid(SwiftApi.UNPROCESSABLE, message);
  }

  // ---------------------------------------------------------------- reading

  /**
   * The releases clients may see, newest first: listed ones, and unlisted ones still downloadable (shown
   * with a problem). Sorted once per package document (the caches hand out the same instance until the
   * package changes; weak keys compare by identity): a list of 1,000 releases is not sorted per request.
   */
  private List<PackageDocument.VersionWithAssets> visible(PackageDocument document) {
    return sortedReleases.get(document, d -> d.versions().stream().filter(v -> v.version().status().downloadable())
        .sorted(Comparator.comparing((PackageDocument.VersionWithAssets v) -> v.version().version(),
            SemVer::compare).reversed())
        .toList());
  }

  /** The package as the repository's clients see it (its upstreams' releases included); empty when it has none. */
  Optional<PackageDocument> document(RepositoryLocation location, String scope, String name) {
    return context.upstreams().document(key(location, scope, name))
        .filter(document -> !visible(document).isEmpty());
  }

  /** The release list (section 4.1), newest first; {@code endpoint} is the repository endpoint, ending in '/'. */
  RenderedMetadata releases(PackageKey key, PackageDocument document, String endpoint, String scope, String name) {
    return releaseLists.get(new ListKey(key, endpoint), document, d -> {
      ObjectNode releases = JSON.createObjectNode();
      ObjectNode list = releases.putObject("releases");
      for (PackageDocument.VersionWithAssets entry : visible(d)) {
        String version = entry.version().version();
        ObjectNode release = list.putObject(version).put("url", releaseUrl(endpoint, scope, name, version));
        if (!entry.version().status().listed()) {
          release.putObject("problem").put("status", 410).put("title", "Gone")
              .put("detail", "this release is " + entry.version().status().toString().toLowerCase(Locale.ROOT));
        }
      }
      return Optional.of(RenderedMetadata.of(releases.toString(), d.summary().modifiedAt()));
    }).orElseThrow();
  }

  /**
   * The release list's links: the newest listed release as {@code latest-version}, and the newest
   * release's repository URLs as {@code canonical} (the first) and {@code alternate}.
   */
  String releasesLink(PackageDocument document, String endpoint, String scope, String name) {
    List<String> links = new ArrayList<>();
    Optional<PackageVersion> latest = latestListed(document);
    latest.ifPresent(v -> links.add("<" + releaseUrl(endpoint, scope, name, v.version()) + ">; rel=\"latest-version\""));
    latest.ifPresent(v -> {
      JsonNode urls = new VersionDocument(v).path("metadata").path("repositoryURLs");
      for (int i = 0; i < urls.size(); i++) {
        links.add("<" + linkTarget(urls.get(i).asText()) + ">; rel=\"" + (i == 0 ? "canonical" : "alternate") + "\"");
      }
    });
    return String.join(", ", links);
  }

  private Optional<PackageVersion> latestListed(PackageDocument document) {
    return visible(document).stream().map(PackageDocument.VersionWithAssets::version)
        .filter(v -> v.status().listed()).findFirst();
  }

  /** A URL put in a Link header: characters that would end it or the header are escaped. */
  private static String linkTarget(String url) {
    StringBuilder out = new StringBuilder();
    for (char c : url.toCharArray()) {
      if (c <= ' ' || c == '<' || c == '>' || c == '"' || c >= 0x7f) {
        out.append(String.format("%%%02X", (int) c & 0xff));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static String releaseUrl(String endpoint, String scope, String name, String version) {
    return endpoint + scope + "/" + name + "/" + version;
  }

  /** One release, downloadable (through the upstreams, retained here then); empty when there is none. */
  Optional<PackageDocument.VersionWithAssets> release(RepositoryLocation location, String scope, String name,
      String version) {
    return context.upstreams().version(key(location, scope, name), version)
        .filter(v -> v.version().status().downloadable());
  }

  /** The release's information (section 4.2). */
  static String releaseInformation(PackageDocument.VersionWithAssets release) {
    VersionDocument stored = new VersionDocument(release.version());
    ObjectNode out = JSON.createObjectNode();
    out.put("id", stored.path("scope").asText(release.version().key().namespace()) + "."
        + stored.path("name").asText(release.version().key().name()));
    out.put("version", release.version().version());
    ArrayNode resources = out.putArray("resources");
    archive(release).ifPresent(archive -> {
      ObjectNode resource = resources.addObject().put("name", "source-archive").put("type", "application/zip")
          .put("checksum", archive.sha256());
      if (stored.path("signing").isObject()) {
        resource.set("signing", stored.path("signing"));
      }
    });
    out.set("metadata", stored.path("metadata").isObject() ? stored.path("metadata") : JSON.createObjectNode());
    out.put("publishedAt", DateTimeFormatter.ISO_INSTANT.format(release.version().publishedAt()));
    return out.toString();
  }

  /** A release's links to the newest listed release and to its listed neighbours by precedence. */
  String releaseLink(PackageDocument document, String endpoint, String scope, String name, String version) {
    List<PackageDocument.VersionWithAssets> releases = visible(document); // newest first
    List<String> links = new ArrayList<>();
    releases.stream().map(PackageDocument.VersionWithAssets::version).filter(v -> v.status().listed()).findFirst()
        .ifPresent(v -> links.add("<" + releaseUrl(endpoint, scope, name, v.version()) + ">; rel=\"latest-version\""));
    int at = -1;
    for (int i = 0; i < releases.size() && at < 0; i++) {
      at = releases.get(i).version().version().equals(version) ? i : -1;
    }
    if (at < 0) {
      return String.join(", ", links);
    }
    for (int i = at - 1; i >= 0; i--) {
      PackageVersion newer = releases.get(i).version();
      if (newer.status().listed() && SemVer.compare(newer.version(), version) > 0) {
        links.add("<" + releaseUrl(endpoint, scope, name, newer.version()) + ">; rel=\"successor-version\"");
        break;
      }
    }
    for (int i = at + 1; i < releases.size(); i++) {
      PackageVersion older = releases.get(i).version();
      if (older.status().listed() && SemVer.compare(older.version(), version) < 0) {
        links.add("<" + releaseUrl(endpoint, scope, name, older.version()) + ">; rel=\"predecessor-version\"");
        break;
      }
    }
    return String.join(", ", links);
  }


  /** The release's source archive. */
  static Optional<PackageAsset> archive(PackageDocument.VersionWithAssets release) {
    String name = new VersionDocument(release.version()).text("archive");
    return release.assets().stream().filter(a -> a.name().equals(name)).findFirst();
  }

  /** The release's manifests as recorded at publication: file, Swift version, tools version. */
  static List<SwiftArchive.Manifest> manifests(PackageDocument.VersionWithAssets release) {
    List<SwiftArchive.Manifest> out = new ArrayList<>();
    for (JsonNode entry : new VersionDocument(release.version()).path("manifests")) {
      out.add(new SwiftArchive.Manifest(entry.path("file").asText(), VersionDocument.textOf(entry, "swiftVersion"),
          VersionDocument.textOf(entry, "toolsVersion"), null));
    }
    return out;
  }

  /** A manifest of the release by file name. */
  static Optional<PackageAsset> manifestFile(PackageDocument.VersionWithAssets release, String fileName) {
    return release.assets().stream().filter(a -> a.name().equals(fileName)).findFirst();
  }

  /**
   * The identifiers ({@code scope.name}, as published) of the repository's own packages whose newest
   * release lists {@code url} among its repository URLs; URLs compare without scheme, user, {@code .git}
   * and trailing '/', case-insensitively ({@code git@github.com:mona/LinkedList.git} matches
   * {@code https://github.com/mona/LinkedList}).
   */
  List<String> identifiers(RepositoryLocation location, String url) {
    String wanted = comparableUrl(url);
    List<String> found = new ArrayList<>();
    int scanned = 0;
    PackageStore.PackagePosition after = null;
    PackageStore.PackageFilter swiftPackages = new PackageStore.PackageFilter(FORMAT, null, null, null, null);
    while (scanned < LOOKUP_SCAN_LIMIT) {
      List<PackageStore.ListedPackage> page = context.listing().packagePage(location.domainOwner(),
          location.domainName(), location.repository(), swiftPackages, after, LOOKUP_PAGE).packages();
      for (var listed : page) {
        PackageKey key = listed.summary().key();
        context.packages().document(key).flatMap(this::latestListed).ifPresent(latest -> {
          VersionDocument stored = new VersionDocument(latest);
          for (JsonNode repositoryUrl : stored.path("metadata").path("repositoryURLs")) {
            if (comparableUrl(repositoryUrl.asText()).equals(wanted)) {
              found.add(stored.path("scope").asText(key.namespace()) + "." + stored.path("name").asText(key.name()));
              break;
            }
          }
        });
      }
      scanned += page.size();
      if (page.size() < LOOKUP_PAGE) {
        break;
      }
      after = PackageStore.PackagePosition.of(page.getLast().summary().key());
    }
    return found;
  }

  static String comparableUrl(String url) {
    String u = url.strip().toLowerCase(Locale.ROOT);
    int scheme = u.indexOf("://");
    if (scheme >= 0) {
      u = u.substring(scheme + 3);
    }
    int at = u.indexOf('@');
    int slash = u.indexOf('/');
    if (at >= 0 && (slash < 0 || at < slash)) {
      u = u.substring(at + 1);
    }
    int colon = u.indexOf(':');
    slash = u.indexOf('/');
    if (colon >= 0 && (slash < 0 || colon < slash) && !u.substring(colon + 1).matches("\\d+(/.*)?")) {
      u = u.substring(0, colon) + "/" + u.substring(colon + 1); // scp-like git@host:path
    }
    while (u.endsWith("/")) {
      u = u.substring(0, u.length() - 1);
    }
    if (u.endsWith(".git")) {
      u = u.substring(0, u.length() - 4);
    }
    return u;
  }
}
