package dev.wharf.format.pypi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatContext;
import dev.wharf.format.RenderedMetadata;
import dev.wharf.format.Renderings;
import dev.wharf.format.RepositoryLocation;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.VersionStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
import org.bouncycastle.crypto.digests.Blake2bDigest;

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
  /*
   * The version metadata JSON (package_versions.metadata) of a PyPI version, what
   * describe-package-version and list-package-version-dependencies read. Keys are the upload's form
   * field names (as twine sends them; core metadata's header names lowercased with '_'), each taken
   * from the form or, when the form lacks it, from the file's own METADATA / PKG-INFO:
   *   "name"                      the project name as uploaded (display name; the package is stored normalized)
   *   single strings:             "metadata_version", "summary", "home_page", "author", "author_email",
   *                               "maintainer", "maintainer_email", "license", "license_expression",
   *                               "keywords", "requires_python", "description_content_type",
   *                               "download_url", "platform"
   *   "description"               the long description (readme): the form field, else METADATA's body
   *                               (or its Description header); at most MAX_DESCRIPTION_CHARS
   *   arrays of strings, every value of the repeated field in order:
   *                               "requires_dist" (PEP 508 strings, e.g. "six>=1; extra == 'x'"),
   *                               "classifiers", "provides_extra", "project_urls" ("Label, URL"),
   *                               "requires_external", "provides_dist", "obsoletes_dist",
   *                               "license_files"
   *   "yanked" (boolean) and "yanked_reason" (string)   PEP 592, set by yank(), absent otherwise
   * Absent or empty fields are omitted.
   */
  private static final List<String> SINGLE_FIELDS = List.of("metadata_version", "summary", "home_page", "author",
      "author_email", "maintainer", "maintainer_email", "license", "license_expression", "keywords", "requires_python",
      "description_content_type", "download_url", "platform");
  private static final List<String> LIST_FIELDS = List.of("classifiers", "requires_dist", "provides_extra",
      "project_urls", "requires_external", "provides_dist", "obsoletes_dist", "license_files");
  /** The longest description (readme) kept; PyPI itself keeps far less in practice. */
  static final int MAX_DESCRIPTION_CHARS = PypiMetadata.MAX_BYTES;

  private final FormatContext context;
  /** Rendered project pages, within the bound shared by every format's renderings. */
  private final Renderings<PageKey> pages;

  public PypiRegistry(FormatContext context) {
    this.context = java.util.Objects.requireNonNull(context, "context");
    this.pages = new Renderings<>(context.renderings());
  }

  private static PackageKey key(RepositoryLocation location, String normalizedName) {
    return location.key(FORMAT, "", normalizedName);
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
  public UploadOutcome upload(RepositoryLocation location, Upload upload) {
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
    PackageKey key = key(location, project);
    Optional<PackageDocument.VersionWithAssets> existing = find(key, version);
    if (existing.isEmpty()) {
      List<PublishingService.AssetContent> contents = new ArrayList<>();
      try {
        contents.add(new PublishingService.AssetContent(file.fileName(), Files.newInputStream(upload.content()), context.maxAssetBytes()));
        if (metadata != null) {
          contents.add(new PublishingService.AssetContent(file.fileName() + METADATA_SUFFIX,
              new ByteArrayInputStream(metadata.raw()), PypiMetadata.MAX_BYTES));
        }
        context.publishing().publish(new PublishingService.Publication(key, version, upload.field("summary"),
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
    try (InputStream in = Files.newInputStream(upload.content())) {
      // the file and its core metadata in one commit: a page never offers the metadata of a file it does not list
      List<PublishingService.AssetContent> contents = new ArrayList<>();
      contents.add(new PublishingService.AssetContent(file.fileName(), in, context.maxAssetBytes()));
      if (metadata != null) {
        contents.add(new PublishingService.AssetContent(file.fileName() + METADATA_SUFFIX,
            new ByteArrayInputStream(metadata.raw()), PypiMetadata.MAX_BYTES));
      }
      if (context.publishing().addAssets(key, existing.version().version(), contents, null)) {
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

  /** The longest PEP 592 yank reason kept. */
  static final int MAX_YANK_REASON_CHARS = 1000;

  /**
   * Yanks (PEP 592) or un-yanks a version: sets or removes {@code yanked} / {@code yanked_reason}
   * in its metadata document; the index then marks its files yanked, which pip skips unless the
   * version is pinned exactly. CodeArtifact has no yank; this is Wharf's own action, reached with
   * {@code :action=yank} / {@code :action=unyank} at the upload URL.
   *
   * @throws WharfException.NotFound when the project or version does not exist
   * @throws WharfException.Invalid for an invalid name, version or reason
   */
  public void yank(RepositoryLocation location, String name, String version, boolean yanked, String reason) {
    if (!PypiNames.validProject(name)) {
      throw new WharfException.Invalid("Invalid project name: '" + name + "'");
    }
    if (version == null || version.isBlank()) {
      throw new WharfException.Invalid("The version to " + (yanked ? "yank" : "un-yank") + " is missing");
    }
    if (reason != null && reason.length() > MAX_YANK_REASON_CHARS) {
      throw new WharfException.Invalid("The yank reason exceeds " + MAX_YANK_REASON_CHARS + " characters");
    }
    String project = PypiNames.normalize(name);
    PackageKey key = key(location, project);
    // PEP 440: "1.0" and "1.0.0" name the same release; the stored spelling is the one uploaded.
    String wanted = sameRelease(version);
    dev.wharf.packages.PackageVersion stored = context.packages().versions(key).stream()
        .filter(v -> v.version().equals(version) || sameRelease(v.version()).equals(wanted))
        .findFirst().orElseThrow(() -> new WharfException.NotFound(null, "Version " + version + " of " + project
            + " not found"));
    context.packages().changeMetadata(key, stored.version(), current -> {
      ObjectNode document = readMetadata(current.metadata()) instanceof ObjectNode object ? object
          : JSON.createObjectNode();
      if (yanked) {
        document.put("yanked", true);
        if (reason != null && !reason.isBlank()) {
          document.put("yanked_reason", reason.strip());
        } else {
          document.remove("yanked_reason");
        }
      } else {
        document.remove("yanked");
        document.remove("yanked_reason");
      }
      return Optional.of(document.toString());
    });
  }

  private static final java.util.regex.Pattern RELEASE = java.util.regex.Pattern.compile("^(\\d+(?:\\.\\d+)*)(.*)$");

  /** A version spelled so that equal PEP 440 releases compare equal: lower case, no 'v', no trailing ".0"s. */
  static String sameRelease(String version) {
    String v = PypiNames.comparableVersion(version);
    java.util.regex.Matcher m = RELEASE.matcher(v);
    if (!m.matches()) {
      return v;
    }
    String release = m.group(1);
    while (release.endsWith(".0")) {
      release = release.substring(0, release.length() - 2);
    }
    return release + m.group(2);
  }

  static WharfException.Invalid fileExists(String fileName) {
    return new WharfException.Invalid("FileExists", "File already exists: " + fileName
        + " is stored with different content; a file cannot be replaced");
  }

  private Optional<PackageDocument.VersionWithAssets> find(PackageKey key, String version) {
    return context.packages().document(key).flatMap(d -> d.versions().stream()
        .filter(v -> v.version().version().equals(version)).findFirst());
  }

  /**
   * Checks every digest the upload sends (twine sends all three) against the bytes received, read
   * once; at least sha256 or md5 must be there.
   */
  private static void verifyDigests(Upload upload) {
    String sha256 = upload.field("sha256_digest");
    String md5 = upload.field("md5_digest");
    String blake2 = upload.field("blake2_256_digest");
    if (sha256 == null && md5 == null) {
      throw new WharfException.Invalid("The upload has no sha256_digest");
    }
    Digests actual = digests(upload.content());
    if (sha256 != null && !sha256.equalsIgnoreCase(actual.sha256())) {
      throw new WharfException.Invalid("The sha256_digest does not match the uploaded file");
    }
    if (md5 != null && !md5.equalsIgnoreCase(actual.md5())) {
      throw new WharfException.Invalid("The md5_digest does not match the uploaded file");
    }
    if (blake2 != null && !blake2.equalsIgnoreCase(actual.blake2b256())) {
      throw new WharfException.Invalid("The blake2_256_digest does not match the uploaded file");
    }
  }

  /** Hex digests of a file: SHA-256, MD5 and BLAKE2b-256 (the three a PyPI upload may carry). */
  record Digests(String sha256, String md5, String blake2b256) {}

  static Digests digests(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      MessageDigest md5 = MessageDigest.getInstance("MD5");
      Blake2bDigest blake2 = new Blake2bDigest(256);
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
        md5.update(buffer, 0, n);
        blake2.update(buffer, 0, n);
      }
      byte[] blake2Out = new byte[blake2.getDigestSize()];
      blake2.doFinal(blake2Out, 0);
      return new Digests(HEX.formatHex(sha256.digest()), HEX.formatHex(md5.digest()), HEX.formatHex(blake2Out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
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
    List<String> form = upload.fields().get("description");
    String description = form == null || form.isEmpty() ? null : form.getFirst();
    if ((description == null || description.isBlank()) && metadata != null) {
      description = metadata.body().orElseGet(() -> metadata.first("Description").orElse(null));
    }
    if (description != null && !description.isBlank()) {
      if (description.length() > MAX_DESCRIPTION_CHARS) {
        throw new WharfException.Invalid("The description exceeds " + MAX_DESCRIPTION_CHARS + " characters");
      }
      doc.put("description", description);
    }
    for (String field : LIST_FIELDS) {
      List<String> values = upload.fields().getOrDefault(field, List.of()).stream().map(String::strip)
          .filter(v -> !v.isEmpty()).toList();
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
      case "license_files" -> "License-File";
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

  /** One file of the index; {@code yanked} is the PEP 592 reason ("" for none) when the version is yanked. */
  public record IndexFile(String fileName, String version, PackageAsset asset, Optional<PackageAsset> coreMetadata,
      String requiresPython, String uploadTime, Optional<String> yanked) {}

  /** A project as the index shows it: listed (Published) versions and their files. */
  public record Project(String name, List<String> versions, List<IndexFile> files) {}

  public Optional<Project> project(RepositoryLocation location, String normalizedName) {
    PackageKey key = key(location, normalizedName);
    return context.upstreams().document(key).map(document -> project(document, normalizedName));
  }

  private static Project project(PackageDocument document, String normalizedName) {
    List<String> versions = new ArrayList<>();
    List<IndexFile> files = new ArrayList<>();
    for (PackageDocument.VersionWithAssets v : document.versions()) {
      if (!v.version().status().listed()) {
        continue;
      }
      versions.add(v.version().version());
      JsonNode metadata = readMetadata(v.version().metadata());
      String requiresPython = metadata.path("requires_python").isTextual()
          ? metadata.path("requires_python").asText() : null;
      Optional<String> yanked = metadata.path("yanked").asBoolean(false)
          ? Optional.of(metadata.path("yanked_reason").asText("")) : Optional.empty();
      Map<String, PackageAsset> byName = new java.util.HashMap<>();
      v.assets().forEach(a -> byName.put(a.name(), a));
      for (PackageAsset asset : v.assets()) {
        if (asset.name().endsWith(METADATA_SUFFIX)) {
          continue;
        }
        files.add(new IndexFile(asset.name(), v.version().version(), asset,
            Optional.ofNullable(byName.get(asset.name() + METADATA_SUFFIX)), requiresPython,
            v.version().publishedAt().toString(), yanked));
      }
    }
    files.sort(java.util.Comparator.comparing(IndexFile::fileName));
    return new Project(normalizedName, versions, files);
  }

  private static JsonNode readMetadata(String metadata) {
    try {
      return JSON.readTree(metadata);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  /**
   * A project's index page (PEP 691 JSON or PEP 503 HTML) as UTF-8 bytes, or empty when there is no
   * such project. The rendering is kept while the package service hands out the same document
   * instance (until the package changes), so a page of thousands of files is rendered once.
   *
   * @param filesUrl the project's URL in the index, ending in '/', that file URLs start with
   */
  public Optional<RenderedMetadata> projectPage(RepositoryLocation location, String normalizedName, String filesUrl,
      boolean json) {
    PackageKey packageKey = key(location, normalizedName);
    // Through upstreams, a merged document is the same instance while none of its sources changed.
    return context.upstreams().document(packageKey).flatMap(document ->
        pages.get(new PageKey(packageKey, filesUrl, json), document, d -> {
          Project project = project(d, normalizedName);
          String page = json ? json(project, filesUrl) : html(project, filesUrl);
          return Optional.of(RenderedMetadata.of(page, d.summary().modifiedAt()));
        }));
  }

  private record PageKey(PackageKey key, String filesUrl, boolean json) {}

  /** How many project names {@link #forEachProjectPage} reads from the store at a time. */
  static final int PROJECT_PAGE_SIZE = 1000;

  /**
   * Hands the project names (normalized, each once) that the repository and every repository of its
   * upstream graph have to {@code consumer} a page at a time: the repository's own in name order,
   * then, for each upstream in search order, those of its names that no repository before it has.
   * Names are read from the store page by page, so the {@code simple/} root of a large repository
   * is streamed rather than held in memory. External connections' projects are not listed (a public
   * registry's whole index is not mirrored); such a project appears once a version of it was retained.
   */
  public void forEachProjectPage(RepositoryLocation location, java.util.function.Consumer<List<String>> consumer) {
    List<String> repositories = context.upstreams().graph(location.domainOwner(), location.domainName(), location.repository());
    for (int i = 0; i < repositories.size(); i++) {
      List<String> before = repositories.subList(0, i);
      String after = null;
      while (true) {
        List<String> page = context.listing().packageNames(location.domainOwner(), location.domainName(), repositories.get(i),
            FORMAT, "", before, after, PROJECT_PAGE_SIZE);
        if (!page.isEmpty()) {
          consumer.accept(page);
        }
        if (page.size() < PROJECT_PAGE_SIZE) {
          break;
        }
        after = page.getLast();
      }
    }
  }

  /** The normalized names of the repository's projects (all at once: for tests and small repositories). */
  public List<String> projects(RepositoryLocation location) {
    List<String> names = new ArrayList<>();
    forEachProjectPage(location, names::addAll);
    return names;
  }

  /** A file (or its {@code .metadata}) of a downloadable version (Published or Unlisted). */
  public Optional<PackageAsset> file(RepositoryLocation location, String normalizedName, String fileName) {
    return context.upstreams().versionWithAsset(key(location, normalizedName), fileName)
        .filter(v -> v.version().status().downloadable())
        .flatMap(v -> v.assets().stream().filter(a -> a.name().equals(fileName)).findFirst());
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
      file.yanked().ifPresent(reason -> out.append(" data-yanked=\"").append(escape(reason)).append('"'));
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
      if (file.yanked().isEmpty()) {
        f.put("yanked", false);
      } else if (file.yanked().get().isEmpty()) {
        f.put("yanked", true);
      } else {
        f.put("yanked", file.yanked().get());
      }
      if (file.asset().size() >= 0) { // unknown (-1) for a file an external connection lists but has not sent yet
        f.put("size", file.asset().size());
      }
      f.put("upload-time", file.uploadTime());
    }
    return root.toString();
  }

  /** Writes the {@code simple/} root, page by page as the store gives the names. */
  void writeRoot(RepositoryLocation location, boolean json, String simpleUrl, java.io.OutputStream out) throws IOException {
    if (json) {
      try (com.fasterxml.jackson.core.JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
        generator.writeStartObject();
        generator.writeObjectFieldStart("meta");
        generator.writeStringField("api-version", "1.1");
        generator.writeEndObject();
        generator.writeArrayFieldStart("projects");
        forEachProjectPage(location, page -> {
          try {
            for (String name : page) {
              generator.writeStartObject();
              generator.writeStringField("name", name);
              generator.writeEndObject();
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        generator.writeEndArray();
        generator.writeEndObject();
      }
      return;
    }
    java.io.Writer writer = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
    writer.write("<!DOCTYPE html>\n<html>\n<head>\n<meta name=\"pypi:repository-version\" content=\"1.1\">\n"
        + "<title>Simple index</title>\n</head>\n<body>\n");
    forEachProjectPage(location, page -> {
      try {
        for (String name : page) {
          writer.write("<a href=\"" + escape(simpleUrl + name + "/") + "\">" + escape(name) + "</a><br>\n");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    writer.write("</body>\n</html>\n");
    writer.flush();
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
