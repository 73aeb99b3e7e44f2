package dev.wharf.format.swift;

import static dev.wharf.format.PackageRoute.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.http.Exchange;
import dev.wharf.api.http.FormEncoding;
import dev.wharf.error.WharfException;
import dev.wharf.format.FormatContext;
import dev.wharf.format.MultipartForm;
import dev.wharf.format.Need;
import dev.wharf.format.PackageCall;
import dev.wharf.format.RegistryFormat;
import dev.wharf.format.PackageRef;
import dev.wharf.format.PackageRoute;
import dev.wharf.format.PathParser;
import dev.wharf.format.ShellWords;
import dev.wharf.format.StoredNames;
import dev.wharf.format.SpoolFiles;
import dev.wharf.format.ToolSetup;
import dev.wharf.format.VersionDescription;
import dev.wharf.format.VersionDocument;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Swift package registry (SE-0292's service specification, with SE-0391's publishing) under
 * {@code /{domain}-{owner}/swift/{repo}/}: release lists, release information, manifests, source
 * archives, identifier lookup by repository URL, publishing ({@code PUT {scope}/{name}/{version}}) and
 * SwiftPM's {@code login}. Every answer states {@code Content-Version: 1}; failures are problem details.
 */
public final class SwiftFormat extends RegistryFormat<SwiftRegistry> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PathParser<SwiftRequestPath> PARSER = PathParser.of(SwiftRequestPath::parse);
  private static final String SWIFT_TYPE = "text/x-swift";
  private static final String ZIP_TYPE = "application/zip";
  private static final int MAX_SIGNATURE_BYTES = 64 * 1024;
  private static final int MAX_METADATA_BYTES = 1024 * 1024;
  /** The parts of a publish (section 4.6), each read as a file; any other part is read and dropped. */
  private static final List<String> PARTS = List.of("source-archive", "source-archive-signature", "metadata",
      "metadata-signature");
  /** The form's framing and its fields, besides its parts (which have their own limits). */
  private static final int FORM_OVERHEAD = 64 * 1024;

  public static final Spec SPEC = new Spec(SwiftRegistry.FORMAT, Namespaces.REQUIRED, SwiftApi.PROBLEM,
      "Authentication required: SwiftPM sends the authorization token as the password of the registry's host"
          + " in ~/.netrc (any login; 'swift package-registry login' or 'wharf login --tool swift' writes it), or as"
          + " a Bearer token",
      List.of(), new StoredNames(SwiftNames::key, SwiftNames::key));

  public SwiftFormat(FormatContext context) {
    super(SPEC, context, SwiftRegistry::new);
  }

  /** CodeArtifact normalizes the package members of API requests for Swift as it stores them. */
  @Override
  public dev.wharf.format.StoredNames apiNames() {
    return SPEC.storedNames();
  }

  /** The failures' body: problem details (RFC 7807) in API version 1. */
  public static final dev.wharf.format.ErrorBody PROBLEM_DETAILS = SwiftApi.PROBLEM;

  /** SwiftPM sends the netrc entry {@code aws codeartifact login --tool swift} writes: {@code login token}. */
  @Override
  public Set<String> basicUsers() {
    return Set.of("aws", "token");
  }

  /** Swift names a package {@code scope.name}. */
  @Override
  public String displayName(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "." + name;
  }

  @Override
  public Optional<String> installLine(String namespace, String name, String version) {
    return Optional.of(".package(id: \"" + displayName(namespace, name) + "\", exact: \"" + version + "\")");
  }

  @Override
  public List<ToolSetup> toolSetups(ToolSetup.Target target) {
    return List.of(new ToolSetup("swift", List.of(target.wharfLogin("swift")), List.of(new ToolSetup.ConfigFile(
        "shell, in the package's folder (after: " + target.tokenCommand() + ")",
        "swift package-registry set " + ShellWords.quote(target.endpoint()) + "\n"
            + "swift package-registry login " + ShellWords.quote(target.endpoint() + "login") + " --token"
            + " \"${CODEARTIFACT_AUTH_TOKEN}\"\n"))));
  }

  /** Scopes and names follow the specification; the API stores them in lower case, as CodeArtifact normalizes them. */
  @Override
  public void requireCreatable(String namespace, String name) {
    super.requireCreatable(namespace, name);
    if (!SwiftNames.validScope(namespace) || !SwiftNames.validName(name)
        || !SwiftNames.key(namespace).equals(namespace) || !SwiftNames.key(name).equals(name)) {
      throw new WharfException.Invalid("ValidationException", "Swift packages are named in the API by their"
          + " lower-case scope (1 to 39 letters, digits and inner hyphens) and name (1 to 100 letters, digits and"
          + " inner hyphens or underscores)");
    }
  }

  /** Read from the release metadata kept with the version (SE-0391's schema). */
  @Override
  public VersionDescription describe(PackageVersion version) {
    VersionDocument document = new VersionDocument(version);
    JsonNode metadata = document.path("metadata");
    List<VersionDescription.License> licenses = new ArrayList<>();
    String license = VersionDocument.textOf(metadata, "licenseURL");
    if (license != null) {
      licenses.add(new VersionDescription.License(null, license));
    }
    JsonNode urls = metadata.path("repositoryURLs");
    String source = urls.isArray() && !urls.isEmpty() ? urls.get(0).asText() : null;
    String homepage = VersionDocument.textOf(metadata.path("author"), "url");
    String name = document.text("name") != null ? document.text("name") : version.key().name();
    return new VersionDescription(name, version.summary(), homepage, source, licenses, null, List.of());
  }

  @Override
  public List<PackageRoute<?>> routes() {
    return List.of(
        PackageRoute.of("POST", "login", "login", when(PARSER, SwiftRequestPath.Login.class), Need.read(),
            (call, request) -> login(call)),
        PackageRoute.get("identifiers", "identifiers", when(PARSER, SwiftRequestPath.Identifiers.class), Need.read(),
            (call, request) -> identifiers(call)),
        PackageRoute.get("release list", "mona/LinkedList", when(PARSER, SwiftRequestPath.Releases.class), Need.read(),
            this::releases),
        PackageRoute.get("release", "mona/LinkedList/1.1.1", when(PARSER, SwiftRequestPath.Release.class), Need.read(),
            this::release),
        PackageRoute.of("PUT", "publish", "mona/LinkedList/1.1.1", when(PARSER, SwiftRequestPath.Release.class),
            Need.publish(request -> ref(request.scope(), request.name())), this::publish),
        PackageRoute.get("manifest", "mona/LinkedList/1.1.1/Package.swift",
            when(PARSER, SwiftRequestPath.Manifest.class), Need.read(), this::manifest),
        PackageRoute.get("source archive", "mona/LinkedList/1.1.1.zip", when(PARSER, SwiftRequestPath.Archive.class),
            Need.read(), this::archive));
  }

  private static PackageRef ref(String scope, String name) {
    return new PackageRef(SwiftNames.key(scope), SwiftNames.key(name));
  }

  /** {@code swift package-registry login}: the credentials are good for this repository. */
  private static void login(PackageCall call) {
    call.exchange().setHeader("Content-Version", SwiftApi.VERSION);
    call.exchange().send(200, null, new byte[0]);
  }

  private void identifiers(PackageCall call) {
    SwiftApi.negotiate(call.exchange(), SwiftApi.Media.JSON);
    Map<String, String> query = new HashMap<>();
    FormEncoding.decodeInto(call.exchange().rawQuery(), query, false);
    String url = query.get("url");
    if (url == null || url.isBlank()) {
      throw new WharfException.Invalid("the url query parameter is required");
    }
    if (url.length() > 2048) {
      throw new WharfException.Invalid("the url is longer than 2048 characters");
    }
    List<String> identifiers = registry.identifiers(call.location(), url);
    if (identifiers.isEmpty()) {
      throw new WharfException.NotFound(null, "no package is registered for " + url);
    }
    ObjectNode answer = JSON.createObjectNode();
    identifiers.forEach(answer.putArray("identifiers")::add);
    call.exchange().send(200, SwiftApi.JSON_TYPE, answer.toString());
  }

  private PackageDocument document(PackageCall call, String scope, String name) {
    return registry.document(call.location(), scope, name)
        .orElseThrow(() -> new WharfException.NotFound(null, "package " + scope + "." + name + " not found"));
  }

  private void releases(PackageCall call, SwiftRequestPath.Releases request) {
    SwiftApi.negotiate(call.exchange(), SwiftApi.Media.JSON);
    PackageDocument document = document(call, request.scope(), request.name());
    String endpoint = call.endpoint();
    String link = registry.releasesLink(document, endpoint, request.scope(), request.name());
    if (!link.isEmpty()) {
      call.exchange().setHeader("Link", link);
    }
    registry.releases(SwiftRegistry.key(call.location(), request.scope(), request.name()), document, endpoint,
        request.scope(), request.name()).send(call.exchange(), SwiftApi.JSON_TYPE);
  }

  private PackageDocument.VersionWithAssets release(PackageCall call, String scope, String name, String version) {
    return registry.release(call.location(), scope, name, version)
        .orElseThrow(() -> new WharfException.NotFound(null, "release " + scope + "." + name + " " + version
            + " not found"));
  }

  private void release(PackageCall call, SwiftRequestPath.Release request) {
    SwiftApi.negotiate(call.exchange(), SwiftApi.Media.JSON);
    PackageDocument.VersionWithAssets release = release(call, request.scope(), request.name(), request.version());
    registry.document(call.location(), request.scope(), request.name()).ifPresent(document -> {
      String link = registry.releaseLink(document, call.endpoint(), request.scope(), request.name(), request.version());
      if (!link.isEmpty()) {
        call.exchange().setHeader("Link", link);
      }
    });
    dev.wharf.format.RenderedMetadata.of(SwiftRegistry.releaseInformation(release), release.version().modifiedAt())
        .send(call.exchange(), SwiftApi.JSON_TYPE);
  }

  /**
   * {@code Package.swift}, or with {@code ?swift-version=} the version-specific manifest (a 303 to the
   * unqualified one when the release has none), with a Link to every version-specific manifest.
   */
  private void manifest(PackageCall call, SwiftRequestPath.Manifest request) {
    Exchange exchange = call.exchange();
    SwiftApi.negotiate(exchange, SwiftApi.Media.SWIFT);
    Map<String, String> query = new HashMap<>();
    FormEncoding.decodeInto(exchange.rawQuery(), query, false);
    String swiftVersion = query.get("swift-version");
    if (swiftVersion != null && !swiftVersion.matches("\\d{1,9}(\\.\\d{1,9}){0,2}")) {
      throw new WharfException.Invalid("invalid swift-version '" + swiftVersion + "'");
    }
    PackageDocument.VersionWithAssets release = release(call, request.scope(), request.name(), request.version());
    String manifestUrl = call.endpoint() + request.scope() + "/" + request.name() + "/" + request.version()
        + "/" + SwiftArchive.MANIFEST;
    List<SwiftArchive.Manifest> manifests = SwiftRegistry.manifests(release);
    String fileName = SwiftArchive.MANIFEST;
    if (swiftVersion != null) {
      Optional<SwiftArchive.Manifest> specific = manifests.stream()
          .filter(m -> swiftVersion.equals(m.swiftVersion())).findFirst();
      if (specific.isEmpty()) {
        exchange.setHeader("Location", manifestUrl);
        exchange.send(303, null, new byte[0]);
        return;
      }
      fileName = specific.get().fileName();
    }
    List<String> links = new ArrayList<>();
    for (SwiftArchive.Manifest manifest : manifests) {
      if (manifest.swiftVersion() != null) {
        links.add("<" + manifestUrl + "?swift-version=" + manifest.swiftVersion() + ">; rel=\"alternate\"; filename=\""
            + manifest.fileName() + "\"" + (manifest.toolsVersion() == null ? ""
            : "; swift-tools-version=\"" + manifest.toolsVersion() + "\""));
      }
    }
    String wanted = fileName;
    PackageAsset manifest = SwiftRegistry.manifestFile(release, wanted)
        .orElseThrow(() -> new WharfException.NotFound(null, "release " + request.version() + " has no " + wanted));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Version", SwiftApi.VERSION);
    if (!links.isEmpty()) {
      headers.put("Link", String.join(", ", links));
    }
    context.downloads().send(exchange, manifest, SWIFT_TYPE, headers);
  }

  /** The source archive, with its SHA-256 in {@code Digest} and its signature, if signed (section 4.4). */
  private void archive(PackageCall call, SwiftRequestPath.Archive request) {
    SwiftApi.negotiate(call.exchange(), SwiftApi.Media.ZIP);
    PackageDocument.VersionWithAssets release = release(call, request.scope(), request.name(), request.version());
    PackageAsset archive = SwiftRegistry.archive(release)
        .orElseThrow(() -> new WharfException.NotFound(null, "release " + request.version() + " has no source archive"));
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Version", SwiftApi.VERSION);
    headers.put("Digest", "sha-256=" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(archive.sha256())));
    JsonNode signing = new VersionDocument(release.version()).path("signing");
    if (signing.isObject()) {
      headers.put("X-Swift-Package-Signature-Format", signing.path("signatureFormat").asText());
      headers.put("X-Swift-Package-Signature", signing.path("signatureBase64Encoded").asText());
    }
    context.downloads().send(call.exchange(), archive, ZIP_TYPE, headers);
  }

  /**
   * Creates a release (section 4.6), synchronously: the caller was authorized to publish the package the
   * path names before any of the body was read; the form is spooled, checked and stored, or nothing is.
   */
  private void publish(PackageCall call, SwiftRequestPath.Release request) {
    Exchange exchange = call.exchange();
    SwiftApi.negotiate(exchange, SwiftApi.Media.JSON);
    String boundary = MultipartForm.boundary(exchange.header("Content-Type"));
    long limit = context.maxAssetBytes() + FORM_OVERHEAD + 2L * MAX_SIGNATURE_BYTES + MAX_METADATA_BYTES;
    if (exchange.contentLength() > limit) {
      throw new WharfException.TooLarge("The publish request (" + exchange.contentLength() + " bytes) exceeds the"
          + " limit for a " + context.maxAssetBytes() + "-byte source archive");
    }
    String signatureFormat = exchange.header("X-Swift-Package-Signature-Format");
    MultipartForm.Form form = MultipartForm.read(exchange.bodyStream(), boundary,
        new MultipartForm.Limits(context.maxAssetBytes(), FORM_OVERHEAD, 16), Map.of("source-archive",
            context.maxAssetBytes(), "source-archive-signature", (long) MAX_SIGNATURE_BYTES, "metadata-signature",
            (long) MAX_SIGNATURE_BYTES, "metadata", (long) MAX_METADATA_BYTES), start -> {
          if (!PARTS.contains(start.fieldName())) {
            return null; // another file is read and dropped
          }
          return SpoolFiles.create(context.spoolDirectory(), "swift-", ".part");
        });
    PackageVersion published;
    try {
      Path archive = single(form, "source-archive").orElseThrow(() -> new WharfException.Invalid(
          "the request has no source-archive part"));
      byte[] archiveSignature = single(form, "source-archive-signature").map(SwiftFormat::signature).orElse(null);
      byte[] metadataSignature = single(form, "metadata-signature").map(SwiftFormat::signature).orElse(null);
      // a part, with or without a file name (SwiftPM sends none; curl -F metadata=@file.json sends one)
      Optional<String> metadata = single(form, "metadata").map(SwiftFormat::text);
      if (archiveSignature != null || metadataSignature != null) {
        if (signatureFormat == null) {
          throw new WharfException.Invalid("a signed release needs the X-Swift-Package-Signature-Format header");
        }
        if (!signatureFormat.equals(SwiftRegistry.SIGNATURE_FORMAT)) {
          throw new WharfException.Invalid("unknown signature format '" + signatureFormat + "': the registry takes "
              + SwiftRegistry.SIGNATURE_FORMAT);
        }
        if (archiveSignature == null || (metadata.isPresent() && metadataSignature == null)) {
          throw new WharfException.Invalid("both the source archive and the metadata must be signed");
        }
      }
      published = registry.publish(call.location(), new SwiftRegistry.Upload(request.scope(), request.name(),
          request.version(), archive, archiveSignature, metadata.orElse(null),
          metadataSignature, signatureFormat));
    } finally {
      form.files().forEach(file -> SpoolFiles.deleteQuietly(file.path()));
    }
    exchange.setHeader("Content-Version", SwiftApi.VERSION);
    exchange.setHeader("Location", SwiftRegistry.releaseUrl(call.endpoint(), request.scope(), request.name(),
        published.version()));
    exchange.send(201, null, new byte[0]);
  }

  private static Optional<Path> single(MultipartForm.Form form, String part) {
    List<MultipartForm.StoredFile> files = form.files().stream().filter(f -> f.fieldName().equals(part)).toList();
    if (files.size() > 1) {
      throw new WharfException.Invalid("the request has more than one " + part + " part");
    }
    return files.stream().findFirst().map(MultipartForm.StoredFile::path);
  }

  private static String text(Path file) {
    try {
      return Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new WharfException.Invalid(SwiftApi.UNPROCESSABLE, "invalid JSON provided for release metadata: not UTF-8");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] signature(Path file) {
    try {
      if (Files.size(file) > MAX_SIGNATURE_BYTES) {
        throw new WharfException.TooLarge("a signature is larger than " + MAX_SIGNATURE_BYTES + " bytes");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
