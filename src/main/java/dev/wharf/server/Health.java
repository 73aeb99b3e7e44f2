package dev.wharf.server;

import dev.wharf.blob.BlobStore;
import dev.wharf.store.Database;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Readiness for a load balancer: the database answers a trivial query and the blob store is
 * reachable, each within {@link #TIMEOUT}, checked in parallel on virtual threads so a hung
 * dependency cannot hang the probe.
 */
final class Health {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Database database;
  private final BlobStore blobs;
  private final Executor executor = task -> Thread.ofVirtual().name("wharf-health").start(task);

  Health(Database database, BlobStore blobs) {
    this.database = database;
    this.blobs = blobs;
  }

  /** The outcome of one probe. */
  record Readiness(boolean database, boolean blobStore) {
    boolean ready() {
      return database && blobStore;
    }

    String json() {
      return "{\"status\":\"" + (ready() ? "ready" : "unavailable") + "\",\"database\":\""
          + (database ? "ok" : "unreachable") + "\",\"blobStore\":\"" + (blobStore ? "ok" : "unreachable") + "\"}";
    }
  }

  Readiness check() {
    CompletableFuture<Boolean> db = CompletableFuture.supplyAsync(database::isReachable, executor);
    CompletableFuture<Boolean> store = CompletableFuture.supplyAsync(() -> {
      try {
        blobs.checkReachable();
        return true;
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }, executor);
    return new Readiness(await(db), await(store));
  }

  private static boolean await(CompletableFuture<Boolean> check) {
    try {
      return check.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
