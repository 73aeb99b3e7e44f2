package dev.wharf.packages.external;

import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageService;
import java.net.URI;
import java.util.Optional;

/** How one package format reads a public registry: where a package's metadata is, and what it means. */
public interface ExternalFormat {
  /** The package format (npm, pypi) this reads. */
  String format();

  /** The metadata document's URL under the upstream's base URL. */
  URI metadataUri(URI base, PackageKey key);

  String accept();

  /**
   * The package as the upstream describes it: versions keyed to {@code key}, with assets that carry
   * the published hashes (size unknown, -1); files without a usable hash are left out.
   *
   * @throws dev.wharf.packages.UpstreamUnavailableException when the document is malformed
   */
  Optional<PackageDocument> parse(PackageKey key, URI documentUri, byte[] body, String upstreamName);

  /** Where one listed file is, what it must hash to, and the version to store it under. */
  record RemoteFile(URI url, PackageService.ExpectedDigests digests, PackageService.Publication publication) {}

  RemoteFile file(PackageDocument.VersionWithAssets remote, String assetName);
}
