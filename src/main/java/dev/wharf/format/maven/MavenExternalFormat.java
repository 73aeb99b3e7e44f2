package dev.wharf.format.maven;

import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageSummary;
import dev.wharf.packages.PackageVersion;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.UpstreamUnavailableException;
import dev.wharf.packages.VersionStatus;
import dev.wharf.packages.external.ExternalFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A Maven 2 repository (Maven Central or any in its layout) as an external connection. The
 * artifact-level {@code BASE/group/path/artifactId/maven-metadata.xml} lists the versions, in the
 * upstream's order, but not their files: a file is found by name at
 * {@code BASE/group/path/artifactId/version/file} and checked against the checksum file next to it
 * ({@code .sha512}, {@code .sha256} or {@code .sha1}, the strongest that exists; Maven Central has
 * {@code .sha1} for everything but signatures, which the client checks against the file they sign).
 * SNAPSHOT versions are left out: an external connection serves
 * releases only.
 */
public final class MavenExternalFormat implements ExternalFormat.NamedFiles {
  /** A version as a repository layout can hold it (a path segment; Maven Central's versions all fit). */
  private static final Pattern VERSION = MavenPath.SEGMENT;

  private final Clock clock;

  public MavenExternalFormat(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String format() {
    return MavenRegistry.FORMAT;
  }

  @Override
  public URI metadataUri(URI base, PackageKey key) {
    return URI.create(artifactDirectory(base, key) + "/maven-metadata.xml");
  }

  private static String artifactDirectory(URI base, PackageKey key) {
    String root = base.toString().endsWith("/") ? base.toString().substring(0, base.toString().length() - 1)
        : base.toString();
    return root + "/" + key.namespace().replace('.', '/') + "/" + key.name();
  }

  @Override
  public String accept() {
    return "application/xml, text/xml;q=0.9, */*;q=0.1";
  }

  /**
   * The versions the upstream's artifact-level metadata lists (releases only), in its order: each
   * gets a publish time one millisecond after the one before, ending at the metadata's
   * {@code lastUpdated}, so merged listings keep the upstream's order. Metadata without versions
   * (a group's plugin list at that path, say) means the upstream has no such artifact.
   */
  @Override
  public Optional<PackageDocument> parse(PackageKey key, URI documentUri, byte[] body, String upstreamName) {
    Document document = MavenPom.document(body).orElseThrow(() -> malformed(upstreamName, key, "not XML"));
    Element root = document.getDocumentElement();
    if (root == null || !root.getTagName().equals("metadata")) {
      throw malformed(upstreamName, key, "no metadata element");
    }
    String groupId = MavenPom.text(root, "groupId");
    String artifactId = MavenPom.text(root, "artifactId");
    if ((groupId != null && !groupId.equals(key.namespace())) || (artifactId != null && !artifactId.equals(key.name()))) {
      throw malformed(upstreamName, key, "it describes " + groupId + ":" + artifactId);
    }
    Optional<Element> versioning = MavenPom.child(root, "versioning");
    Set<String> listed = new LinkedHashSet<>();
    versioning.flatMap(v -> MavenPom.child(v, "versions")).ifPresent(list -> MavenPom.children(list, "version")
        .forEach(v -> listed.add(v.getTextContent().strip())));
    listed.removeIf(v -> v.endsWith(MavenPath.SNAPSHOT) || !VERSION.matcher(v).matches() || v.equals(".")
        || v.equals(".."));
    if (listed.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Instant last = versioning.map(v -> MavenPom.text(v, "lastUpdated")).flatMap(MavenExternalFormat::lastUpdated)
        .filter(t -> !t.isAfter(now)).orElse(now);
    List<PackageDocument.VersionWithAssets> versions = new ArrayList<>();
    int index = 0;
    for (String version : listed) {
      Instant published = last.minusMillis(listed.size() - 1L - index++);
      versions.add(new PackageDocument.VersionWithAssets(new PackageVersion(key, version, VersionStatus.PUBLISHED,
          "external", published, published, null, "{}", "EXTERNAL"), List.of()));
    }
    return Optional.of(new PackageDocument(new PackageSummary(key, versions.getFirst().version().publishedAt(), now),
        versions, Map.of()));
  }

  static Optional<Instant> lastUpdated(String value) {
    if (value == null || !value.matches("\\d{14}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(MavenMetadata.LAST_UPDATED.parse(value, Instant::from));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  @Override
  public Optional<NamedFile> namedFile(URI base, PackageDocument.VersionWithAssets remote, String assetName) {
    PackageVersion version = remote.version();
    try {
      MavenPath.File file = MavenPath.file(version.key().namespace(), version.key().name(), version.version(),
          assetName, null);
      if (file.snapshot() || !MavenPath.SEGMENT.matcher(assetName).matches()
          || MavenChecksum.ofFileName(assetName) != null) {
        return Optional.empty();
      }
    } catch (WharfException.Invalid e) {
      return Optional.empty();
    }
    String url = artifactDirectory(base, version.key()) + "/" + version.version() + "/" + assetName;
    return Optional.of(new NamedFile(URI.create(url), List.of(
        new ChecksumFile(URI.create(url + ".sha512"), Algorithm.SHA512),
        new ChecksumFile(URI.create(url + ".sha256"), Algorithm.SHA256),
        new ChecksumFile(URI.create(url + ".sha1"), Algorithm.SHA1)), assetName.endsWith(".asc")));
  }

  /**
   * The digest of a checksum file in the forms repositories write: the bare digest, the digest
   * followed by white space and the file name ({@code sha1sum}'s form), or the file name before it
   * ({@code SHA1(file)= digest}, {@code file: digest}).
   */
  @Override
  public Optional<String> checksum(ChecksumFile file, byte[] body) {
    return checksum(file.algorithm(), new String(body, StandardCharsets.UTF_8));
  }

  static Optional<String> checksum(Algorithm algorithm, String text) {
    String stripped = text.strip();
    if (stripped.isEmpty()) {
      return Optional.empty();
    }
    String[] tokens = stripped.split("\\s+");
    String first = tokens[0];
    if (algorithm.isDigest(first)) {
      return Optional.of(first.toLowerCase(Locale.ROOT));
    }
    String last = tokens[tokens.length - 1];
    if (tokens.length > 1 && algorithm.isDigest(last) && (tokens[tokens.length - 2].endsWith("=")
        || tokens[tokens.length - 2].endsWith(":"))) {
      return Optional.of(last.toLowerCase(Locale.ROOT));
    }
    return Optional.empty();
  }

  @Override
  public PublishingService.Publication publication(PackageDocument.VersionWithAssets remote, String assetName,
      Path content) {
    PackageVersion version = remote.version();
    Optional<MavenPom> pom = Optional.empty();
    if (assetName.endsWith(".pom")) {
      try {
        if (Files.size(content) <= MavenPom.MAX_BYTES) {
          pom = MavenPom.parse(Files.readAllBytes(content));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    // Complete upstream: stored Published (the version's other files follow when clients ask for them).
    return new PublishingService.Publication(version.key(), version.version(), pom.map(MavenPom::description).orElse(null),
        pom.map(MavenPom::metadataJson).orElse("{}"), Map.of(), "EXTERNAL", VersionStatus.PUBLISHED);
  }

  private static UpstreamUnavailableException malformed(String upstream, PackageKey key, String why) {
    return ExternalFormat.malformed("maven-metadata.xml", upstream, key, why);
  }
}
