package dev.wharf.packages.infrastructure;

import dev.wharf.blob.BlobCollector;
import dev.wharf.store.Database;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;

/** Blobs are referenced by package assets (the package_assets_by_blob index answers this). */
public final class SqlBlobReferences implements BlobCollector.References {
  private final Jdbi jdbi;

  public SqlBlobReferences(Database database) {
    this.jdbi = Objects.requireNonNull(database, "database").jdbi();
  }

  @Override
  public boolean isReferenced(String sha256) {
    return jdbi.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM package_assets WHERE sha256 = :sha256")
        .bind("sha256", sha256).mapTo(Long.class).one()) > 0;
  }
}
