package dev.wharf.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.blob.BlobStore;
import dev.wharf.crypto.MasterKey;
import dev.wharf.crypto.SecretCipher;
import dev.wharf.crypto.Sha256;
import dev.wharf.store.Database;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Copies a whole installation (every table's rows and every blob the rows refer to) between
 * databases, blob stores and backup directories, and checks the copy: row counts per table compared
 * with the source's, every blob's SHA-256 recomputed from what the target returns.
 *
 * <p>Rows are read in one snapshot of the source (see {@link Tables#openSnapshot}) and written in
 * one transaction on the target, so a failed copy leaves the target's tables as they were. Blobs
 * are content-addressed and immutable: one already at the target is not copied again, so a copy
 * interrupted while moving blobs is simply run again.
 */
public final class StorageTransfer {
  /** The backup directory's manifest: written last, so a directory without it is not a backup. */
  public static final String MANIFEST = "manifest.json";
  static final String FORMAT = "wharf-backup";
  static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
  private static final Pattern TABLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String MASTER_KEY_CHECK = "master-key-check";
  private static final String CHECK_CONTEXT = "wharf-master-key-check";

  private final PrintStream out;

  public StorageTransfer(PrintStream out) {
    this.out = out;
  }

  /** A copy that could not be made or did not check out; the message says what and where. */
  public static final class TransferException extends Exception {
    private static final long serialVersionUID = 1L;

    public TransferException(String message) {
      super(message);
    }
  }

  /** What was copied: rows per table (source and target counts) and blobs. */
  public record Summary(Map<String, long[]> counts, int blobs, int blobsCopied, int blobsPresent, long blobBytes) {
    boolean countsMatch() {
      return counts.values().stream().allMatch(pair -> pair[0] == pair[1]);
    }
  }

  /**
   * Copies the installation whose database is at {@code sourceUrl} and blobs in {@code sourceBlobs}
   * into {@code target} (already migrated) and {@code targetBlobs}.
   */
  public Summary migrate(String sourceUrl, BlobStore sourceBlobs, Database target, BlobStore targetBlobs,
      MasterKey key, boolean allowNonEmptyTarget) throws Exception {
    try (Connection source = Tables.openSnapshot(sourceUrl)) {
      int version = Database.schemaVersion(source);
      requireCurrentSchema(version, "the source database");
      checkMasterKey(source, key, "the source database");
      List<Tables.Table> tables = Tables.list(source);
      try (Connection to = target.dataSource().getConnection()) {
        List<Tables.Table> targetTables = requireSameTables(tables, Tables.list(to));
        requireEmpty(to, targetTables, allowNonEmptyTarget);
        Map<String, Long> sourceCounts = new LinkedHashMap<>();
        for (Tables.Table table : tables) {
          sourceCounts.put(table.name(), Tables.count(source, table));
        }
        // blobs first: the target's rows never name a blob it lacks, and a re-run resumes here
        BlobCounts blobs = copyBlobs(Tables.referencedBlobs(source), sourceBlobs, targetBlobs);
        loadRows(to, key, "the copied rows", () -> {
          for (Tables.Table table : tables) {
            try (Tables.Inserter inserter = new Tables.Inserter(to, targetTable(targetTables, table.name()))) {
              Tables.read(source, table, inserter::add);
            }
            out.printf("  %-32s %d rows%n", table.name(), sourceCounts.get(table.name()));
          }
        });
        return verify(sourceCounts, to, targetTables, blobs, targetBlobs);
      }
    }
  }

  /**
   * Writes a backup of the installation into {@code directory} (which must be absent or empty):
   * one JSON-lines file per table from one snapshot, then the blobs those rows refer to, then the
   * manifest.
   */
  public Summary backup(String sourceUrl, BlobStore sourceBlobs, Path directory) throws Exception {
    if (Files.exists(directory)) {
      try (var entries = Files.list(directory)) {
        if (entries.findAny().isPresent()) {
          throw new TransferException(directory + " is not empty; back up into a new directory");
        }
      }
    }
    Files.createDirectories(directory.resolve("tables"));
    Map<String, long[]> counts = new LinkedHashMap<>();
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("format", FORMAT);
    manifest.put("formatVersion", FORMAT_VERSION);
    BlobCounts copied;
    try (Connection source = Tables.openSnapshot(sourceUrl)) {
      int version = Database.schemaVersion(source);
      requireCurrentSchema(version, "the database");
      manifest.put("schemaVersion", version);
      manifest.put("createdAt", Instant.now().toString());
      ObjectNode tableCounts = manifest.putObject("tables");
      ArrayNode order = manifest.putArray("tableOrder");
      for (Tables.Table table : Tables.list(source)) {
        long[] written = {0};
        try (OutputStream file = Files.newOutputStream(directory.resolve("tables").resolve(table.name() + ".jsonl"))) {
          Tables.read(source, table, row -> {
            ObjectNode line = JSON.createObjectNode();
            for (int i = 0; i < row.length; i++) {
              String column = table.columns().get(i).name();
              if (row[i] == null) {
                line.putNull(column);
              } else if (row[i] instanceof Long number) {
                line.put(column, number);
              } else {
                line.put(column, row[i].toString());
              }
            }
            JSON.writeValue(file, line);
            file.write('\n');
            written[0]++;
          });
        }
        long expected = Tables.count(source, table);
        if (expected != written[0]) {
          throw new TransferException(table.name() + ": wrote " + written[0] + " rows, the snapshot has " + expected);
        }
        tableCounts.put(table.name(), written[0]);
        order.add(table.name());
        counts.put(table.name(), new long[] {expected, written[0]});
        out.printf("  %-32s %d rows%n", table.name(), written[0]);
      }
      // after the rows: blobs are immutable, and one the snapshot refers to is not collected within the
      // grace period (blob-gc-grace-seconds), which a backup must finish within
      try (BlobStore backupBlobs = new dev.wharf.blob.FileBlobStore(directory.resolve("blobs"))) {
        copied = copyBlobs(Tables.referencedBlobs(source), sourceBlobs, backupBlobs);
        List<String> problems = verifyBlobs(copied, backupBlobs);
        out.printf("Verified: %d tables, row counts match; %d blobs re-read at the target, SHA-256 %s.%n",
            counts.size(), copied.sizes.size(), problems.isEmpty() ? "all match" : "MISMATCHED");
        if (!problems.isEmpty()) {
          throw new TransferException("the backup does not check out:\n  " + String.join("\n  ", problems));
        }
      }
    }
    ArrayNode blobList = manifest.putArray("blobs");
    copied.sizes.forEach((sha256, size) -> blobList.addObject().put("sha256", sha256).put("size", size));
    Path temporary = directory.resolve(MANIFEST + ".tmp");
    JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), manifest);
    Files.move(temporary, directory.resolve(MANIFEST), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return new Summary(counts, copied.sizes.size(), copied.copied, copied.present, copied.bytes);
  }

  /** Loads a backup into {@code target} (already migrated, normally empty) and {@code targetBlobs}, then checks it. */
  public Summary restore(Path directory, Database target, BlobStore targetBlobs, MasterKey key,
      boolean allowNonEmptyTarget) throws Exception {
    Path manifestFile = directory.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestFile)) {
      throw new TransferException(directory + " has no " + MANIFEST + ": not a Wharf backup, or one that did not finish");
    }
    JsonNode manifest = JSON.readTree(manifestFile.toFile());
    if (!FORMAT.equals(manifest.path("format").asText()) || manifest.path("formatVersion").asInt() != FORMAT_VERSION) {
      throw new TransferException(manifestFile + " is not a Wharf backup of format version " + FORMAT_VERSION);
    }
    requireCurrentSchema(manifest.path("schemaVersion").asInt(-1), "the backup");
    Map<String, Long> expected = new LinkedHashMap<>();
    manifest.path("tables").fields().forEachRemaining(entry -> expected.put(entry.getKey(), entry.getValue().asLong()));
    Map<String, Long> blobSizes = new LinkedHashMap<>();
    for (JsonNode blob : manifest.path("blobs")) {
      blobSizes.put(BlobStore.requireSha256(blob.path("sha256").asText()), blob.path("size").asLong());
    }
    try (Connection to = target.dataSource().getConnection()) {
      List<Tables.Table> targetTables = Tables.list(to);
      Set<String> names = new TreeSet<>(targetTables.stream().map(Tables.Table::name).toList());
      if (!names.equals(new TreeSet<>(expected.keySet()))) {
        throw new TransferException("the backup's tables " + new TreeSet<>(expected.keySet())
            + " are not this Wharf's " + names);
      }
      requireEmpty(to, targetTables, allowNonEmptyTarget);
      BlobCounts blobs;
      try (BlobStore backupBlobs = new dev.wharf.blob.FileBlobStore(directory.resolve("blobs"))) {
        blobs = copyBlobs(blobSizes.keySet(), backupBlobs, targetBlobs);
      }
      loadRows(to, key, "the backup", () -> {
        for (Tables.Table table : targetTables) {
          if (!TABLE_NAME.matcher(table.name()).matches()) {
            throw new TransferException("unexpected table name " + table.name());
          }
          Path file = directory.resolve("tables").resolve(table.name() + ".jsonl");
          long read = 0;
          try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
              Tables.Inserter inserter = new Tables.Inserter(to, table)) {
            String line;
            while ((line = reader.readLine()) != null) {
              if (line.isBlank()) {
                continue;
              }
              JsonNode node = JSON.readTree(line);
              Object[] row = new Object[table.columns().size()];
              for (int i = 0; i < row.length; i++) {
                Tables.Column column = table.columns().get(i);
                JsonNode value = node.get(column.name());
                if (value == null) {
                  throw new TransferException(file + " line " + (read + 1) + ": no column " + column.name());
                }
                row[i] = value.isNull() ? null : column.integer() ? (Object) value.asLong() : value.asText();
              }
              inserter.add(row);
              read++;
            }
          }
          if (read != expected.get(table.name())) {
            throw new TransferException(file + " has " + read + " rows, the manifest says " + expected.get(table.name()));
          }
          out.printf("  %-32s %d rows%n", table.name(), read);
        }
      });
      return verify(expected, to, targetTables, blobs, targetBlobs);
    }
  }

  /** Writes rows into the target. */
  @FunctionalInterface
  private interface RowLoad {
    void run() throws Exception;
  }

  /**
   * Runs {@code load} in one transaction on {@code to}, committed only if the master key opens the
   * secrets among the rows ({@code what} names them in the refusal); on any failure nothing is committed.
   */
  private static void loadRows(Connection to, MasterKey key, String what, RowLoad load) throws Exception {
    to.setAutoCommit(false);
    try {
      load.run();
      checkMasterKey(to, key, what);
      to.commit();
    } catch (Exception e) {
      to.rollback();
      throw e;
    }
    to.setAutoCommit(true);
  }

  /** Blobs moved: sizes by SHA-256, how many were copied and how many were there already. */
  private static final class BlobCounts {
    final Map<String, Long> sizes = new LinkedHashMap<>();
    int copied;
    int present;
    long bytes;
  }

  private BlobCounts copyBlobs(Set<String> wanted, BlobStore from, BlobStore to) throws Exception {
    BlobCounts counts = new BlobCounts();
    List<String> missing = new ArrayList<>();
    for (String sha256 : wanted) {
      if (to.exists(sha256)) {
        counts.present++;
        counts.sizes.put(sha256, to.size(sha256));
        continue;
      }
      Optional<InputStream> content = from.open(sha256);
      if (content.isEmpty()) {
        missing.add(sha256);
        continue;
      }
      try (InputStream in = content.get()) {
        long size = to.put(in, Long.MAX_VALUE, sha256).size();
        counts.sizes.put(sha256, size);
        counts.bytes += size;
      }
      counts.copied++;
    }
    if (!missing.isEmpty()) {
      throw new TransferException(missing.size() + " blob(s) referenced by the database are missing from the source"
          + " blob store, e.g. " + missing.get(0));
    }
    out.printf("  blobs: %d copied (%d bytes), %d already at the target%n", counts.copied, counts.bytes, counts.present);
    return counts;
  }

  private Summary verify(Map<String, Long> expected, Connection to, List<Tables.Table> tables, BlobCounts blobs,
      BlobStore targetBlobs) throws Exception {
    Map<String, long[]> counts = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (Tables.Table table : tables) {
      long actual = Tables.count(to, table);
      long wanted = expected.getOrDefault(table.name(), 0L);
      counts.put(table.name(), new long[] {wanted, actual});
      if (actual != wanted) {
        problems.add(table.name() + ": " + wanted + " rows at the source, " + actual + " at the target");
      }
    }
    problems.addAll(verifyBlobs(blobs, targetBlobs));
    Summary summary = new Summary(counts, blobs.sizes.size(), blobs.copied, blobs.present, blobs.bytes);
    out.printf("Verified: %d tables, row counts %s; %d blobs re-read at the target, SHA-256 %s.%n",
        counts.size(), summary.countsMatch() ? "match" : "DIFFER", blobs.sizes.size(),
        problems.stream().anyMatch(p -> p.startsWith("blob")) ? "MISMATCHED" : "all match");
    if (!problems.isEmpty()) {
      throw new TransferException("the copy does not check out:\n  " + String.join("\n  ", problems));
    }
    return summary;
  }

  /** Reads every blob back from {@code store} and recomputes its SHA-256; returns what is wrong. */
  private static List<String> verifyBlobs(BlobCounts blobs, BlobStore store) throws IOException {
    List<String> problems = new ArrayList<>();
    for (String sha256 : blobs.sizes.keySet()) {
      Optional<InputStream> content = store.open(sha256);
      if (content.isEmpty()) {
        problems.add("blob " + sha256 + " is missing at the target");
        continue;
      }
      try (InputStream in = content.get()) {
        String actual = Sha256.hex(in, Long.MAX_VALUE);
        if (!actual.equals(sha256)) {
          problems.add("blob " + sha256 + " reads back with SHA-256 " + actual);
        }
      }
    }
    return problems;
  }

  private static void requireCurrentSchema(int version, String what) throws TransferException {
    if (version < 0) {
      throw new TransferException(what + " has no Wharf schema");
    }
    if (version != Database.LATEST_SCHEMA_VERSION) {
      throw new TransferException(what + " is at schema version " + version + ", this Wharf's is "
          + Database.LATEST_SCHEMA_VERSION + ": use the Wharf version that wrote it"
          + (version < Database.LATEST_SCHEMA_VERSION ? " (or start this version once on the source to migrate it)" : ""));
    }
  }

  private static List<Tables.Table> requireSameTables(List<Tables.Table> source, List<Tables.Table> target)
      throws TransferException {
    Set<String> a = new TreeSet<>(source.stream().map(Tables.Table::name).toList());
    Set<String> b = new TreeSet<>(target.stream().map(Tables.Table::name).toList());
    if (!a.equals(b)) {
      throw new TransferException("the source's tables " + a + " differ from the target's " + b);
    }
    return target;
  }

  private static Tables.Table targetTable(List<Tables.Table> tables, String name) {
    return tables.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
  }

  private static void requireEmpty(Connection to, List<Tables.Table> tables, boolean allowNonEmpty) throws Exception {
    if (allowNonEmpty) {
      return;
    }
    for (Tables.Table table : tables) {
      long rows = Tables.count(to, table);
      if (rows > 0) {
        throw new TransferException("the target database is not empty (" + table.name() + " has " + rows
            + " rows); give it a fresh database or schema, or --allow-non-empty-target to add only missing rows");
      }
    }
  }

  /** Refuses a master key that cannot read the installation's secrets (when it has any yet). */
  private static void checkMasterKey(Connection connection, MasterKey key, String what) throws Exception {
    String stored;
    try (PreparedStatement statement = connection.prepareStatement("SELECT value FROM wharf_settings WHERE name = ?")) {
      statement.setString(1, MASTER_KEY_CHECK);
      try (ResultSet result = statement.executeQuery()) {
        if (!result.next()) {
          return;
        }
        stored = result.getString(1);
      }
    } catch (SQLException noSettings) {
      throw new TransferException(what + " has no settings table: " + noSettings.getMessage());
    }
    try {
      new SecretCipher(key).decryptString(stored, CHECK_CONTEXT);
    } catch (SecretCipher.DecryptionException e) {
      throw new TransferException("the master key (" + key.source() + ") is not the one " + what
          + " was written with: give the source installation's key (WHARF_MASTER_KEY or its master.key file)");
    }
  }
}
