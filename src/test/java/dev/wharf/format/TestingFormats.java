package dev.wharf.format;

import dev.wharf.blob.FileBlobStore;
import dev.wharf.testing.TestingDatabases;
import dev.wharf.testing.TestingPackages;
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
      TestingPackages services = TestingPackages.over(TestingDatabases.sqlite(scratch),
          new FileBlobStore(scratch.resolve("blobs")), Clock.systemUTC());
      return FormatRegistry.standard(services.formatContext(1024));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
