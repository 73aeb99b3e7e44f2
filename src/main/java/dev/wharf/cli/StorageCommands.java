package dev.wharf.cli;

import dev.wharf.blob.BlobStore;
import dev.wharf.config.WharfConfig;
import dev.wharf.crypto.MasterKey;
import dev.wharf.server.WharfServer;
import dev.wharf.storage.StorageTransfer;
import dev.wharf.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code wharf admin migrate-storage|backup|restore}: offline copies of a whole installation. They
 * work on the storage directly (database and blob store), not through a running server.
 */
final class StorageCommands {
  private StorageCommands() {}

  /** Where an installation keeps its data: the same settings, flags and environment variables as {@code wharf server}. */
  static final class Installation {
    @Option(names = "--data", description = "Data directory (env WHARF_DATA, default ./wharf-data): the SQLite database,"
        + " file blobs and master.key live here unless the options below say otherwise.")
    Path data;

    @Option(names = "--database-url", description = "jdbc:sqlite:… or jdbc:postgresql:… (env WHARF_DATABASE_URL;"
        + " default SQLite in the data directory).")
    String databaseUrl;

    @Option(names = "--blob-store", description = "s3://bucket/prefix (env WHARF_BLOB_STORE; default files under DATA/blobs)."
        + " S3 credentials from the standard AWS chain.")
    String blobStore;

    @Option(names = "--s3-endpoint", description = "URL of an S3-compatible server (env WHARF_S3_ENDPOINT).")
    String s3Endpoint;

    @Option(names = "--s3-path-style", description = "Address the bucket as ENDPOINT/bucket (env WHARF_S3_PATH_STYLE=true).")
    Boolean s3PathStyle;

    @Option(names = "--s3-region", description = "Region of the bucket (env WHARF_S3_REGION).")
    String s3Region;

    @Option(names = "--config", description = "A properties file of server settings (as for wharf server).")
    Path configFile;

    WharfConfig config() {
      return ServerCommand.settings(configFile).flag("data", data).flag("database-url", databaseUrl).flag("blob-store", blobStore)
          .flag("s3-endpoint", s3Endpoint).flag("s3-path-style", s3PathStyle).flag("s3-region", s3Region).build();
    }
  }

  /** The master key as the server finds it: WHARF_MASTER_KEY, else DATA/master.key, which must exist. */
  static MasterKey masterKey(WharfConfig config) throws IOException {
    if (config.masterKey().isPresent()) {
      return MasterKey.fromBase64(config.masterKey().get(), "WHARF_MASTER_KEY");
    }
    Path file = config.dataDirectory().resolve(MasterKey.FILE_NAME);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no master key: set WHARF_MASTER_KEY (base64) or keep the installation's "
          + MasterKey.FILE_NAME + " in " + config.dataDirectory());
    }
    return MasterKey.loadOrCreate(file); // exists: only read
  }

  static Integer fail(String message) {
    System.err.println("wharf: " + message);
    return 1;
  }

  /** Bad options or settings: the reason, and exit status 2. */
  static Integer badOptions(String message) {
    System.err.println("wharf: " + message);
    return 2;
  }

  /** One transfer: opens its storage, copies, and closes it again. */
  @FunctionalInterface
  interface Transfer {
    StorageTransfer.Summary run() throws Exception;
  }

  /** Runs a transfer and prints its summary: exit status 0, or 1 with the reason when it failed. */
  static int transfer(Transfer transfer) {
    try {
      printSummary(transfer.run());
      return 0;
    } catch (StorageTransfer.TransferException | IllegalStateException e) {
      return fail(e.getMessage());
    } catch (Exception e) {
      return fail(rootMessage(e)); // e.g. the database cannot be reached, a backup file is not JSON
    }
  }

  static void printSummary(StorageTransfer.Summary summary) {
    long rows = summary.counts().values().stream().mapToLong(pair -> pair[1]).sum();
    System.out.printf("Done: %d rows in %d tables, %d blobs (%d copied, %d already there).%n", rows,
        summary.counts().size(), summary.blobs(), summary.blobsCopied(), summary.blobsPresent());
  }

  @Command(name = "migrate-storage", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
          "Copy a whole installation (e.g. a single node's SQLite database and file blobs) into another database and"
              + " blob store (e.g. PostgreSQL and S3, for a cluster), then check the copy: every table's row count is"
              + " compared and every blob's SHA-256 is recomputed from the target.",
          "Stop the source server first (or accept that changes made during the copy are not copied). The source is"
              + " given as for `wharf server` (--data, --database-url, --blob-store, WHARF_* variables); the target"
              + " with --to-* options. Migrations run on the target first; it must be empty unless"
              + " --allow-non-empty-target. Blobs already at the target are not copied again, so an interrupted run"
              + " can be repeated.",
          "Master key: secrets are stored encrypted under it and are copied as they are, so the target's nodes must"
              + " run with the SOURCE's key. The command reads it as the server does (WHARF_MASTER_KEY, else"
              + " DATA/master.key), checks that it opens the source's secrets, and reminds you to give it to the new"
              + " nodes as WHARF_MASTER_KEY.",
          "Exit status: 0 copied and verified, 1 failed (nothing committed to the target database), 2 bad options."})
  static final class MigrateStorage implements Callable<Integer> {
    @Mixin Installation source;

    @Option(names = "--to-database-url", required = true,
        description = "The target database: jdbc:postgresql://…?currentSchema=… (or jdbc:sqlite:…).")
    String toDatabaseUrl;

    @Option(names = "--to-blob-store", description = "The target blob store: s3://bucket/prefix. Without it, files"
        + " under --to-data/blobs.")
    String toBlobStore;

    @Option(names = "--to-data", description = "The target's data directory: its blobs/ when there is no --to-blob-store,"
        + " and scratch space for S3 uploads (default: the source's data directory).")
    Path toData;

    @Option(names = "--to-s3-endpoint", description = "URL of the target's S3-compatible server.")
    String toS3Endpoint;

    @Option(names = "--to-s3-path-style", description = "Address the target bucket as ENDPOINT/bucket.")
    Boolean toS3PathStyle;

    @Option(names = "--to-s3-region", description = "Region of the target bucket (default us-east-1 or WHARF_REGION).")
    String toS3Region;

    @Option(names = "--allow-non-empty-target", description = "Copy into a target database that already has rows,"
        + " adding only the rows whose keys are missing (then the counts must still match).")
    boolean allowNonEmptyTarget;

    @Override
    public Integer call() throws Exception {
      WharfConfig from;
      WharfConfig to;
      MasterKey key;
      try {
        from = source.config();
        if (toBlobStore == null && toData == null) {
          return badOptions("give --to-blob-store s3://… or --to-data DIR for the target's blobs");
        }
        to = WharfConfig.builder().environment(Map.of())
            .flag("data", toData != null ? toData : from.dataDirectory()).flag("region", from.region())
            .flag("database-url", toDatabaseUrl).flag("blob-store", toBlobStore).flag("s3-endpoint", toS3Endpoint)
            .flag("s3-path-style", toS3PathStyle).flag("s3-region", toS3Region).build();
        key = masterKey(from);
      } catch (WharfConfig.ConfigException | IllegalArgumentException e) {
        return badOptions(e.getMessage());
      }
      if (to.effectiveDatabaseUrl().equals(from.effectiveDatabaseUrl())) {
        return fail("the target database is the source database");
      }
      Files.createDirectories(to.dataDirectory());
      System.out.println("Copying " + redact(from.effectiveDatabaseUrl()) + " + " + from.blobStore().orElse(
          from.dataDirectory().resolve("blobs").toString()) + " into " + redact(to.effectiveDatabaseUrl()) + " + "
          + to.blobStore().orElse(to.dataDirectory().resolve("blobs").toString()));
      int status = transfer(() -> {
        try (BlobStore sourceBlobs = WharfServer.openBlobStore(from);
            Database target = Database.open(to.effectiveDatabaseUrl());
            BlobStore targetBlobs = WharfServer.openBlobStore(to)) {
          return new StorageTransfer(System.out)
              .migrate(from.effectiveDatabaseUrl(), sourceBlobs, target, targetBlobs, key, allowNonEmptyTarget);
        }
      });
      if (status == 0) {
        System.out.println("Start the new nodes with this installation's master key (" + key.source() + ")"
            + (from.masterKey().isPresent() ? ": the same WHARF_MASTER_KEY." : ", e.g. WHARF_MASTER_KEY=\"$(cat "
                + from.dataDirectory().resolve(MasterKey.FILE_NAME) + ")\"."));
      }
      return status;
    }
  }

  @Command(name = "backup", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
          "Write a backup of an installation into a new directory: manifest.json (schema version, row counts, every"
              + " blob with its SHA-256), tables/NAME.jsonl (every row of every table as JSON lines) and blobs/.",
          "Safe while servers run: the rows come from one consistent read (a SQLite read transaction, a PostgreSQL"
              + " REPEATABLE READ read-only transaction); the blobs they refer to are copied after, which is safe as"
              + " long as the backup takes less than the blob-gc-grace-seconds period (default an hour).",
          "The master key is NOT in the backup (secrets in it are encrypted under the key): keep the key file or"
              + " WHARF_MASTER_KEY safe separately; restore needs it.",
          "The installation is given as for `wharf server` (--data, --database-url, --blob-store, WHARF_* variables)."})
  static final class Backup implements Callable<Integer> {
    @Mixin Installation installation;

    @Option(names = "--to", required = true, description = "The backup directory (new, or empty).")
    Path directory;

    @Override
    public Integer call() throws Exception {
      WharfConfig config;
      try {
        config = installation.config();
      } catch (WharfConfig.ConfigException e) {
        return badOptions(e.getMessage());
      }
      System.out.println("Backing up " + redact(config.effectiveDatabaseUrl()) + " into " + directory);
      return transfer(() -> {
        try (BlobStore blobs = WharfServer.openBlobStore(config)) {
          return new StorageTransfer(System.out).backup(config.effectiveDatabaseUrl(), blobs, directory);
        }
      });
    }
  }

  @Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
      description = {
          "Load a backup made by `wharf admin backup` into an empty installation (database and blob store, given as"
              + " for `wharf server`), then check it: row counts against the manifest, every blob's SHA-256"
              + " recomputed from the target.",
          "Needs the master key the backup's installation used (WHARF_MASTER_KEY, or master.key in the data"
              + " directory); a wrong key is refused before anything is committed. The backup must come from the"
              + " same schema version as this Wharf.",
          "Exit status: 0 restored and verified, 1 failed (nothing committed to the database), 2 bad options."})
  static final class Restore implements Callable<Integer> {
    @Mixin Installation installation;

    @Option(names = "--from", required = true, description = "The backup directory.")
    Path directory;

    @Option(names = "--allow-non-empty-target", description = "Load into a database that already has rows, adding"
        + " only rows whose keys are missing (then the counts must still match).")
    boolean allowNonEmptyTarget;

    @Override
    public Integer call() throws Exception {
      WharfConfig config;
      MasterKey key;
      try {
        config = installation.config();
        key = masterKey(config);
      } catch (WharfConfig.ConfigException | IllegalArgumentException e) {
        return badOptions(e.getMessage());
      }
      Files.createDirectories(config.dataDirectory());
      System.out.println("Restoring " + directory + " into " + redact(config.effectiveDatabaseUrl()));
      return transfer(() -> {
        try (Database target = Database.open(config.effectiveDatabaseUrl());
            BlobStore blobs = WharfServer.openBlobStore(config)) {
          return new StorageTransfer(System.out).restore(directory, target, blobs, key, allowNonEmptyTarget);
        }
      });
    }
  }

  /** The innermost cause's message: what the driver said, without the pool's wrapping. */
  static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause.getMessage() != null ? cause.getMessage() : cause.toString();
  }

  /** A JDBC URL without a password=… parameter, for printing. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
