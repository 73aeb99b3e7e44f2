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
}
