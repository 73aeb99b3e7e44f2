package dev.wharf.testing;

import dev.wharf.blob.BlobStore;
import dev.wharf.packages.OriginControlService;
import dev.wharf.packages.PackageListingService;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.PackageStore;
import dev.wharf.packages.PublishingService;
import dev.wharf.packages.UpstreamService;
import dev.wharf.packages.VersionLifecycleService;
import dev.wharf.packages.infrastructure.SqlPackageStore;
import dev.wharf.store.Database;
import java.time.Clock;

/** The package services over one SQL package store and blob store, wired as WharfServer wires them. */
public record TestingPackages(PackageService packages, OriginControlService origins, PublishingService publishing,
    VersionLifecycleService lifecycle, PackageListingService listing) {

  public static TestingPackages over(Database database, BlobStore blobs, Clock clock) {
    return over(new SqlPackageStore(database), blobs, clock);
  }

  /** The services over {@code store} (e.g. one that fails on purpose, {@link TestingCrashingStore}). */
  public static TestingPackages over(PackageStore store, BlobStore blobs, Clock clock) {
    PackageService packages = new PackageService(store, blobs, clock);
    OriginControlService origins = new OriginControlService(packages);
    return new TestingPackages(packages, origins, new PublishingService(packages, origins, dev.wharf.metrics.Metrics.none()),
        new VersionLifecycleService(packages, origins), new PackageListingService(packages));
  }

  /** Reads through the upstream repositories {@code upstreams} names. */
  public UpstreamService upstreams(UpstreamService.RepositoryUpstreams upstreams) {
    return new UpstreamService(packages, origins, publishing, upstreams, dev.wharf.metrics.Metrics.none());
  }

  /** What the formats are built with, over these services, without upstreams: files up to {@code maxAssetBytes}. */
  public dev.wharf.format.FormatContext formatContext(long maxAssetBytes) {
    return formatContext(maxAssetBytes, (owner, domain, repository) -> java.util.List.of());
  }

  /** What the formats are built with, over these services, reading through the upstream graph {@code upstreams}. */
  public dev.wharf.format.FormatContext formatContext(long maxAssetBytes, UpstreamService.RepositoryUpstreams upstreams) {
    return new dev.wharf.format.FormatContext(packages, publishing, lifecycle, listing, upstreams(upstreams),
        new dev.wharf.format.AssetDownloads(packages), maxAssetBytes,
        java.nio.file.Path.of(System.getProperty("java.io.tmpdir")), Clock.systemUTC(),
        new dev.wharf.format.Renderings.Budget(1 << 20));
  }
}
