package dev.wharf.format;

import dev.wharf.packages.PackageListingService;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.UpstreamService;
import dev.wharf.packages.VersionLifecycleService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What every format is built with: the package core, publishing, version status changes, listings,
 * reads through upstreams, the one download path, the size limit of a package file, a folder for
 * spooled uploads, the clock, and the bound that every format's rendered metadata shares.
 */
public record FormatContext(PackageService packages, PublishingService publishing, VersionLifecycleService lifecycle,
    PackageListingService listing, UpstreamService upstreams, AssetDownloads downloads, long maxAssetBytes,
    Path temporaryDirectory, Clock clock, Renderings.Budget renderings) {
  public FormatContext {
    Objects.requireNonNull(packages, "packages");
    Objects.requireNonNull(publishing, "publishing");
    Objects.requireNonNull(lifecycle, "lifecycle");
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(upstreams, "upstreams");
    Objects.requireNonNull(downloads, "downloads");
    if (maxAssetBytes < 1) {
      throw new IllegalArgumentException("maxAssetBytes must be positive");
    }
    Objects.requireNonNull(temporaryDirectory, "temporaryDirectory");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(renderings, "renderings");
  }

  /** The folder uploads are spooled to while they are checked, created when missing. */
  public java.nio.file.Path spoolDirectory() {
    try {
      return java.nio.file.Files.createDirectories(temporaryDirectory);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
