package dev.wharf.packages.external;

import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PublishingService;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How one package format reads a public registry: where a package's metadata is, and what it means.
 * Formats whose metadata lists each version's files with their hashes (npm, PyPI) are
 * {@link ListedFiles}; formats whose metadata lists versions only and whose files are found by name,
 * each with checksum files next to it (Maven), are {@link NamedFiles}.
 */
public interface ExternalFormat {
  /** The package format (npm, pypi) this reads. */
  String format();

  /** The metadata document's URL under the upstream's base URL. */
  URI metadataUri(URI base, PackageKey key);

  String accept();

  /**
   * The package as the upstream describes it: versions keyed to {@code key}, with assets that carry
   * the published hashes (size unknown, -1); files without a usable hash are left out. A format
   * whose files are found by name lists its versions without assets.
   *
   * @throws dev.wharf.packages.UpstreamUnavailableException when the document is malformed
   */
  Optional<PackageDocument> parse(PackageKey key, URI documentUri, byte[] body, String upstreamName);

  /** Where one listed file is, what it must hash to, and the version to store it under. */
  record RemoteFile(URI url, PublishingService.ExpectedDigests digests, PublishingService.Publication publication) {}

  /** A format whose metadata lists each version's files with their hashes (npm, PyPI). */
  interface ListedFiles extends ExternalFormat {
    /** Where one listed file is: by default at the URL {@code parse} kept for it ({@link #urlIn}). */
    default RemoteFile file(PackageDocument.VersionWithAssets remote, String assetName) {
      return urlIn(remote, assetName);
    }

    /** Where {@link #urlIn} keeps each listed file's URL in a remote version's document, until it is fetched. */
    String URLS = "externalUrls";

    /**
     * The file of a remote version whose document keeps its files' URLs under {@link #URLS} (as
     * {@code parse} wrote it): that URL, the asset's SHA-256, and the document without the URLs to
     * store the version with.
     */
    static RemoteFile urlIn(PackageDocument.VersionWithAssets remote, String assetName) {
      dev.wharf.packages.PackageVersion version = remote.version();
      dev.wharf.packages.PackageAsset asset = remote.assets().stream().filter(a -> a.name().equals(assetName))
          .findFirst().orElseThrow(() -> new IllegalArgumentException("no asset " + assetName));
      com.fasterxml.jackson.databind.node.ObjectNode document;
      try {
        document = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(version.metadata());
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
      URI url = URI.create(document.path(URLS).path(assetName).asText());
      document.remove(URLS);
      return new RemoteFile(url, new PublishingService.ExpectedDigests(asset.sha256(), null, null),
          new PublishingService.Publication(version.key(), version.version(), null, document.toString(),
              java.util.Map.of(), "EXTERNAL"));
    }
  }

  /**
   * An upstream's answer that is not the document it should be: a 502 for the client, and nothing
   * cached.
   *
   * @param document what the format calls the document ("packument", "index page", ...)
   */
  static dev.wharf.packages.UpstreamUnavailableException malformed(String document, String upstream, PackageKey key,
      String why) {
    return new dev.wharf.packages.UpstreamUnavailableException("The upstream " + upstream + " answered with a malformed "
        + document + " for " + PackageService.displayName(key) + " (" + why + "); nothing was cached");
  }

  /** The upstream's answer as JSON, or {@link #malformed} when it is not JSON. */
  static com.fasterxml.jackson.databind.JsonNode json(byte[] body, String document, String upstream, PackageKey key) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (java.io.IOException e) {
      throw malformed(document, upstream, key, "not JSON");
    }
  }

  /** The upstream's base URL ending in {@code /}, for paths below it. */
  static String withSlash(URI base) {
    String text = base.toString();
    return text.endsWith("/") ? text : text + "/";
  }

  /** The URL of {@code path} below the upstream's base URL (joined with one {@code /}). */
  static URI below(URI base, String path) {
    return URI.create(withSlash(base) + path);
  }

  /**
   * The upstream's base URL, ending in {@code /}, of a document fetched from {@link #below}{@code (base, path)}:
   * for the format's other URLs below the same base.
   */
  static String baseOf(URI documentUri, String path) {
    String document = documentUri.toString();
    return document.substring(0, document.length() - path.length());
  }

  /** The mapper upstream JSON documents are read with. */
  final class Json {
    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    private Json() {}
  }

  /** A time the upstream's metadata states (ISO-8601), or {@code fallback} when it states none or a malformed one. */
  static java.time.Instant time(com.fasterxml.jackson.databind.JsonNode node, java.time.Instant fallback) {
    if (!node.isTextual()) {
      return fallback;
    }
    try {
      return java.time.Instant.parse(node.asText());
    } catch (java.time.format.DateTimeParseException e) {
      return fallback;
    }
  }

  /** A hash algorithm an upstream publishes checksum files in. */
  enum Algorithm {
    SHA512(128),
    SHA256(64),
    SHA1(40);

    private final int hexLength;

    Algorithm(int hexLength) {
      this.hexLength = hexLength;
    }

    /** The digest's length in hex digits. */
    public int hexLength() {
      return hexLength;
    }

    /** Whether {@code text} is a digest in this algorithm: {@link #hexLength} hex digits, in either case. */
    public boolean isDigest(String text) {
      return text.length() == hexLength && text.chars().allMatch(java.util.HexFormat::isHexDigit);
    }

    /** Whether {@code text} is a digest in this algorithm in lower case, as Cargo's and RubyGems' indexes write it. */
    public boolean isLowerCaseDigest(String text) {
      return isDigest(text) && text.chars().noneMatch(c -> c >= 'A' && c <= 'F');
    }
  }

  /**
   * Where the upstream would publish a file's checksum in one algorithm, and the most that document
   * may hold: a checksum file is a digest and perhaps a name ({@link #CHECKSUM_BYTES}); NuGet's
   * catalog leaf states the hash among the package's metadata.
   */
  record ChecksumFile(URI url, Algorithm algorithm, int maxBytes) {
    /** The largest checksum file read (a digest in hex, perhaps followed by the file name). */
    public static final int CHECKSUM_BYTES = 1024;

    public ChecksumFile(URI url, Algorithm algorithm) {
      this(url, algorithm, CHECKSUM_BYTES);
    }
  }

  /**
   * A format whose metadata document may leave parts out and link to them instead (NuGet's
   * registration index links pages of versions): those are fetched, within the metadata limits and
   * from the upstream's own origin, and put back into the document before it is parsed.
   */
  interface Linked extends ExternalFormat {
    /** The documents the metadata links to and {@link #parse} needs; empty when it is complete. */
    List<URI> linked(PackageKey key, URI documentUri, byte[] body, String upstreamName);

    /** The document with the linked ones ({@code linked}, in the order asked for) put back into it. */
    byte[] complete(PackageKey key, byte[] body, List<byte[]> linked, String upstreamName);
  }

  /**
   * A file found by name: where it is, and its possible checksum files, strongest first.
   * {@code signature} marks a detached signature ({@code .asc}): Maven Central publishes no checksum
   * for those, and none is needed to trust it, since the client checks it against the file it signs
   * (which was checked); it is kept without one when the upstream publishes none, checked when it does.
   */
  record NamedFile(URI url, List<ChecksumFile> checksums, boolean signature) {
    public NamedFile {
      checksums = List.copyOf(checksums);
    }
  }

  /**
   * A format whose metadata lists versions only: each file is found by name, with the checksum
   * files the upstream publishes next to it (Maven).
   */
  interface NamedFiles extends ExternalFormat {
    /**
     * Where the file {@code assetName} of a version the document listed (with no assets) is; empty
     * when the name cannot be one of that version's files.
     */
    Optional<NamedFile> namedFile(URI base, PackageDocument.VersionWithAssets remote, String assetName);

    /** The digest (lower-case hex) a checksum file states, or empty when it states none in that algorithm (malformed). */
    Optional<String> checksum(ChecksumFile file, byte[] body);

    /** The version a file found by name is stored under, given the fetched content (a POM describes its version). */
    PublishingService.Publication publication(PackageDocument.VersionWithAssets remote, String assetName, Path content);
  }
}
