package dev.wharf.format;

import dev.wharf.blob.FileBlobStore;
import dev.wharf.packages.PackageService;
import dev.wharf.packages.UpstreamService;
import dev.wharf.packages.infrastructure.SqlPackageStore;
import dev.wharf.testing.TestingDatabases;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** The standard formats over a scratch SQLite store, for tests of what formats know without a server. */
final class TestingFormats {
  private TestingFormats() {}

  static FormatRegistry registry() {
    try {
      Path scratch = Files.createTempDirectory("wharf-formats");
      scratch.toFile().deleteOnExit();
      PackageService packages = new PackageService(new SqlPackageStore(TestingDatabases.sqlite(scratch)),
          new FileBlobStore(scratch.resolve("blobs")), Clock.systemUTC());
      UpstreamService upstreams = new UpstreamService(packages, (owner, domain, repository) -> List.of());
      return FormatRegistry.standard(new FormatContext(packages, upstreams, new AssetDownloads(packages), 1024,
          scratch.resolve("tmp"), Clock.systemUTC()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
