package dev.wharf.packages.external;

import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How one package format reads a public registry: where a package's metadata is, and what it means.
 * Formats whose metadata lists each version's files with their hashes (npm, PyPI) implement
 * {@link #file}; formats whose metadata lists versions only and whose files are found by name, each
 * with checksum files next to it (Maven), implement {@link #namedFile}, {@link #checksum} and
 * {@link #publication}.
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
  record RemoteFile(URI url, PackageService.ExpectedDigests digests, PackageService.Publication publication) {}

  RemoteFile file(PackageDocument.VersionWithAssets remote, String assetName);

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
  }

  /** Where the upstream would publish a file's checksum in one algorithm. */
  record ChecksumFile(URI url, Algorithm algorithm) {}

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
   * For a format whose files are found by name: where the file {@code assetName} of a version the
   * document listed (with no assets) is; empty when the format lists its files instead (the
   * default) or the name cannot be one of that version's files.
   */
  default Optional<NamedFile> namedFile(URI base, PackageDocument.VersionWithAssets remote, String assetName) {
    return Optional.empty();
  }

  /**
   * The digest (lower-case hex) a checksum file states, or empty when it states none in that
   * algorithm (malformed).
   */
  default Optional<String> checksum(ChecksumFile file, byte[] body) {
    return Optional.empty();
  }

  /** The version a file found by name is stored under, given the fetched content (a POM describes its version). */
  default PackageService.Publication publication(PackageDocument.VersionWithAssets remote, String assetName,
      Path content) {
    throw new UnsupportedOperationException(format() + " lists its files");
  }
}
