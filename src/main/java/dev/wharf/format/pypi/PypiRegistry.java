package dev.wharf.format.pypi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PackageSummary;
import dev.wharf.packages.VersionStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * PyPI format logic: checks and stores uploads (one asset per distribution file, plus
 * {@code <file>.metadata} holding a wheel's METADATA for PEP 658), and renders the simple index
 * (PEP 503 HTML, PEP 691 JSON). Packages are stored under their PEP 503 normalized name with no
 * namespace. Authorization is the caller's job.
 */
public final class PypiRegistry {
  public static final String FORMAT = "pypi";
  static final String METADATA_SUFFIX = ".metadata";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();
  /** Form fields kept in the version document (core metadata, as twine names them). */
  private static final List<String> SINGLE_FIELDS = List.of("metadata_version", "summary", "home_page", "author",
      "author_email", "maintainer", "maintainer_email", "license", "keywords", "requires_python",
      "description_content_type", "download_url", "platform");
  private static final List<String> LIST_FIELDS = List.of("classifiers", "requires_dist", "provides_extra",
      "project_urls", "requires_external", "provides_dist", "obsoletes_dist");

  private final PackageService packages;
  private final dev.wharf.packages.UpstreamService upstreams;
  private final long maxFileBytes;

  public PypiRegistry(PackageService packages, long maxFileBytes) {
    this(packages, null, maxFileBytes);
  }

  /** @param upstreams how reads fall through to upstream repositories; null for none */
  public PypiRegistry(PackageService packages, dev.wharf.packages.UpstreamService upstreams, long maxFileBytes) {
    this.upstreams = upstreams;
    this.packages = Objects.requireNonNull(packages, "packages");
    this.maxFileBytes = maxFileBytes;
  }

  public long maxFileBytes() {
    return maxFileBytes;
  }

  public record Location(String domainOwner, String domainName, String repository) {
    PackageKey key(String normalizedName) {
      return new PackageKey(domainOwner, domainName, repository, FORMAT, "", normalizedName);
    }
  }

  /** An upload's form fields (repeated fields in order) and its file, already on disk. */
  public record Upload(Map<String, List<String>> fields, String fileName, Path content) {
    String field(String name) {
      List<String> values = fields.get(name);
      return values == null || values.isEmpty() ? null : values.getFirst().strip();
    }
  }

  public enum UploadOutcome {
    CREATED,
    /** The identical file was already there. */
    UNCHANGED
  }

  /** The project an upload names, normalized; checked before authorization on the package. */
  public static String projectOf(Upload upload) {
    String name = upload.field("name");
    if (!PypiNames.validProject(name)) {
      throw new WharfException.Invalid("Invalid project name: '" + name + "'");
    }
    return PypiNames.normalize(name);
  }

  /**
   * Checks and stores an uploaded distribution file.
   *
   * @throws WharfException.Invalid for a bad or mismatched upload, or a different file already
   *     stored under that name ("File already exists"); nothing is stored then
   */
  public UploadOutcome upload(Location location, Upload upload) {
    String action = upload.field(":action");
    if (!"file_upload".equals(action)) {
      throw new WharfException.Invalid("Unsupported :action '" + action + "': only file_upload is supported");
    }
    String name = upload.field("name");
    String project = projectOf(upload);
    String version = upload.field("version");
    if (!PypiNames.validVersion(version)) {
      throw new WharfException.Invalid("Invalid version '" + version + "': versions must follow PEP 440");
    }
    if (upload.content() == null) {
      throw new WharfException.Invalid("The upload has no 'content' file");
    }
    PypiNames.DistributionFile file = PypiNames.parseFileName(upload.fileName(), upload.field("filetype"));
    PypiNames.requireMatches(file, name, version);
    verifyDigests(upload);
    // The package's own metadata must agree; only a wheel's is served (PEP 658), an sdist's is only checked.
    PypiMetadata own = file.kind() == PypiNames.Kind.WHEEL ? PypiMetadata.fromWheel(upload.content())
        : PypiMetadata.fromSdist(upload.content(), file.fileName());
    String where = file.kind() == PypiNames.Kind.WHEEL ? "The wheel's METADATA" : "The sdist's PKG-INFO";
    String metaName = own.first("Name").orElseThrow(() -> new WharfException.Invalid(where + " has no Name"));
    String metaVersion = own.first("Version").orElseThrow(() -> new WharfException.Invalid(where + " has no Version"));
    if (!PypiNames.normalize(metaName).equals(project)) {
      throw new WharfException.Invalid(where + " names the project '" + metaName + "', not '" + name + "'");
    }
    if (!PypiNames.comparableVersion(metaVersion).equals(PypiNames.comparableVersion(version))) {
      throw new WharfException.Invalid(where + " has version '" + metaVersion + "', not '" + version + "'");
    }
    PypiMetadata metadata = file.kind() == PypiNames.Kind.WHEEL ? own : null;
    PackageKey key = location.key(project);
    Optional<PackageDocument.VersionWithAssets> existing = find(key, version);
    if (existing.isEmpty()) {
      List<PackageService.AssetContent> contents = new ArrayList<>();
      try {
        contents.add(new PackageService.AssetContent(file.fileName(), Files.newInputStream(upload.content()), maxFileBytes));
        if (metadata != null) {
          contents.add(new PackageService.AssetContent(file.fileName() + METADATA_SUFFIX,
              new ByteArrayInputStream(metadata.raw()), PypiMetadata.MAX_BYTES));
        }
        packages.publish(new PackageService.Publication(key, version, upload.field("summary"),
            versionDocument(name, upload, own), Map.of(), "INTERNAL"), contents);
        return UploadOutcome.CREATED;
      } catch (WharfException.Conflict raced) {
        existing = find(key, version);
        if (existing.isEmpty()) {
          throw raced;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        contents.forEach(c -> closeQuietly(c.content()));
      }
    }
    return addFile(key, existing.orElseThrow(), file, upload, metadata);
  }

  private UploadOutcome addFile(PackageKey key, PackageDocument.VersionWithAssets existing,
      PypiNames.DistributionFile file, Upload upload, PypiMetadata metadata) {
    String sha256 = sha256(upload.content());
    Optional<PackageAsset> same = existing.assets().stream().filter(a -> a.name().equals(file.fileName())).findFirst();
    if (same.isPresent()) {
      if (same.get().sha256().equals(sha256)) {
        return UploadOutcome.UNCHANGED;
      }
      throw fileExists(file.fileName());
    }
    if (existing.version().status() != VersionStatus.PUBLISHED) {
      throw new WharfException.Invalid("Version " + existing.version().version() + " is "
          + existing.version().status().wireName() + ": files can be added only to a Published version");
    }
    if (metadata != null) {
      packages.addAsset(key, existing.version().version(), new PackageService.AssetContent(
          file.fileName() + METADATA_SUFFIX, new ByteArrayInputStream(metadata.raw()), PypiMetadata.MAX_BYTES));
    }
    try (InputStream in = Files.newInputStream(upload.content())) {
      if (packages.addAsset(key, existing.version().version(), new PackageService.AssetContent(file.fileName(), in,
          maxFileBytes))) {
        return UploadOutcome.CREATED;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Lost a race with another upload of that file name.
    PackageAsset stored = find(key, existing.version().version()).flatMap(v -> v.assets().stream()
        .filter(a -> a.name().equals(file.fileName())).findFirst()).orElseThrow(() -> fileExists(file.fileName()));
    if (stored.sha256().equals(sha256)) {
      return UploadOutcome.UNCHANGED;
    }
    throw fileExists(file.fileName());
  }

  static WharfException.Invalid fileExists(String fileName) {
    return new WharfException.Invalid("FileExists", "File already exists: " + fileName
        + " is stored with different content; a file cannot be replaced");
  }

  private Optional<PackageDocument.VersionWithAssets> find(PackageKey key, String version) {
    return packages.document(key).flatMap(d -> d.versions().stream()
        .filter(v -> v.version().version().equals(version)).findFirst());
  }

  private static void verifyDigests(Upload upload) {
    String sha256 = upload.field("sha256_digest");
    String md5 = upload.field("md5_digest");
    if (sha256 == null && md5 == null) {
      throw new WharfException.Invalid("The upload has no sha256_digest");
    }
    if (sha256 != null && !sha256.equalsIgnoreCase(digest(upload.content(), "SHA-256"))) {
      throw new WharfException.Invalid("The sha256_digest does not match the uploaded file");
    }
    if (md5 != null && !md5.equalsIgnoreCase(digest(upload.content(), "MD5"))) {
      throw new WharfException.Invalid("The md5_digest does not match the uploaded file");
    }
  }

  static String sha256(Path file) {
    return digest(file, "SHA-256");
  }

  private static String digest(Path file, String algorithm) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance(algorithm);
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HEX.formatHex(digest.digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String versionDocument(String name, Upload upload, PypiMetadata metadata) {
    ObjectNode doc = JSON.createObjectNode().put("name", name);
    for (String field : SINGLE_FIELDS) {
      String value = upload.field(field);
      if (value == null && metadata != null) {
        value = metadata.first(metadataName(field)).orElse(null);
      }
      if (value != null && !value.isEmpty()) {
        doc.put(field, value);
      }
    }
    for (String field : LIST_FIELDS) {
      List<String> values = upload.fields().getOrDefault(field, List.of());
      if (values.isEmpty() && metadata != null) {
        values = metadata.all(metadataName(field).replaceAll("s$", ""));
      }
      if (!values.isEmpty()) {
        ArrayNode array = doc.putArray(field);
        values.forEach(array::add);
      }
    }
    return doc.toString();
  }

  /** METADATA's header for a form field: requires_python → Requires-Python. */
  private static String metadataName(String field) {
    return switch (field) {
      case "home_page" -> "Home-page";
      case "classifiers" -> "Classifier";
      default -> field.replace('_', '-');
    };
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // nothing to do
    }
  }

  // ---- reading ----

  /** One file of the index. */
  public record IndexFile(String fileName, String version, PackageAsset asset, Optional<PackageAsset> coreMetadata,
      String requiresPython, String uploadTime) {}

  /** A project as the index shows it: listed (Published) versions and their files. */
  public record Project(String name, List<String> versions, List<IndexFile> files) {}

  public Optional<Project> project(Location location, String normalizedName) {
    PackageKey key = location.key(normalizedName);
    return (upstreams != null ? upstreams.document(key) : packages.document(key)).map(document -> {
      List<String> versions = new ArrayList<>();
      List<IndexFile> files = new ArrayList<>();
      for (PackageDocument.VersionWithAssets v : document.versions()) {
        if (!v.version().status().listed()) {
          continue;
        }
        versions.add(v.version().version());
        String requiresPython = requiresPython(v.version().metadata());
        for (PackageAsset asset : v.assets()) {
          if (asset.name().endsWith(METADATA_SUFFIX)) {
            continue;
          }
          Optional<PackageAsset> metadata = v.assets().stream()
              .filter(a -> a.name().equals(asset.name() + METADATA_SUFFIX)).findFirst();
          files.add(new IndexFile(asset.name(), v.version().version(), asset, metadata, requiresPython,
              v.version().publishedAt().toString()));
        }
      }
      files.sort(java.util.Comparator.comparing(IndexFile::fileName));
      return new Project(normalizedName, versions, files);
    });
  }

  private static String requiresPython(String metadata) {
    try {
      JsonNode node = JSON.readTree(metadata);
      return node.path("requires_python").isTextual() ? node.path("requires_python").asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The normalized names of the repository's projects. */
  public List<String> projects(Location location) {
    TreeSet<String> names = new TreeSet<>();
    for (PackageSummary summary : packages.listPackages(location.domainOwner(), location.domainName(),
        location.repository(), FORMAT, null, null)) {
      names.add(summary.key().name());
    }
    return List.copyOf(names);
  }

  /** A file (or its {@code .metadata}) of a downloadable version (Published or Unlisted). */
  public Optional<PackageAsset> file(Location location, String normalizedName, String fileName) {
    if (upstreams != null) {
      return upstreams.versionWithAsset(location.key(normalizedName), fileName)
          .filter(v -> v.version().status().downloadable())
          .flatMap(v -> v.assets().stream().filter(a -> a.name().equals(fileName)).findFirst());
    }
    return packages.document(location.key(normalizedName)).flatMap(d -> d.versions().stream()
        .filter(v -> v.version().status().downloadable())
        .flatMap(v -> v.assets().stream()).filter(a -> a.name().equals(fileName)).findFirst());
  }

  public Optional<InputStream> open(PackageAsset asset) {
    return packages.open(asset);
  }

  // ---- rendering ----

  static String html(Project project, String filesUrl) {
    StringBuilder out = new StringBuilder(256 + project.files().size() * 256);
    out.append("<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" content=\"1.1\">\n<title>Links for ")
        .append(escape(project.name())).append("</title>\n</head>\n<body>\n<h1>Links for ")
        .append(escape(project.name())).append("</h1>\n");
    for (IndexFile file : project.files()) {
      out.append("<a href=\"").append(escape(filesUrl + file.fileName())).append("#sha256=")
          .append(file.asset().sha256()).append('"');
      if (file.requiresPython() != null) {
        out.append(" data-requires-python=\"").append(escape(file.requiresPython())).append('"');
      }
      file.coreMetadata().ifPresent(m -> out.append(" data-core-metadata=\"sha256=").append(m.sha256())
          .append("\" data-dist-info-metadata=\"sha256=").append(m.sha256()).append('"'));
      out.append('>').append(escape(file.fileName())).append("</a><br>\n");
    }
    return out.append("</body>\n</html>\n").toString();
  }

  static String json(Project project, String filesUrl) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("meta").put("api-version", "1.1");
    root.put("name", project.name());
    ArrayNode versions = root.putArray("versions");
    project.versions().forEach(versions::add);
    ArrayNode files = root.putArray("files");
    for (IndexFile file : project.files()) {
      ObjectNode f = files.addObject();
      f.put("filename", file.fileName()).put("url", filesUrl + file.fileName());
      f.putObject("hashes").put("sha256", file.asset().sha256());
      if (file.requiresPython() != null) {
        f.put("requires-python", file.requiresPython());
      }
      if (file.coreMetadata().isPresent()) {
        f.putObject("core-metadata").put("sha256", file.coreMetadata().get().sha256());
        f.putObject("dist-info-metadata").put("sha256", file.coreMetadata().get().sha256());
      } else {
        f.put("core-metadata", false).put("dist-info-metadata", false);
      }
      f.put("yanked", false);
      if (file.asset().size() >= 0) { // unknown (-1) for a file an external connection lists but has not sent yet
        f.put("size", file.asset().size());
      }
      f.put("upload-time", file.uploadTime());
    }
    return root.toString();
  }

  static String rootHtml(List<String> projects, String simpleUrl) {
    StringBuilder out = new StringBuilder(256 + projects.size() * 64);
    out.append("<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" content=\"1.1\">\n"
        + "<title>Simple index</title>\n</head>\n<body>\n");
    for (String name : projects) {
      out.append("<a href=\"").append(escape(simpleUrl + name + "/")).append("\">").append(escape(name)).append("</a><br>\n");
    }
    return out.append("</body>\n</html>\n").toString();
  }

  static String rootJson(List<String> projects) {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("meta").put("api-version", "1.1");
    ArrayNode array = root.putArray("projects");
    projects.forEach(name -> array.addObject().put("name", name));
    return root.toString();
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
