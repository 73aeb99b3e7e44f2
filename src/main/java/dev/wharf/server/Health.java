package dev.wharf.server;

import dev.wharf.blob.BlobStore;
import dev.wharf.error.Unavailable;
import dev.wharf.store.Database;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Readiness for a load balancer: the database answers a trivial query and the blob store is
 * reachable, each within {@link #TIMEOUT}, checked in parallel on virtual threads so a hung
 * dependency cannot hang the probe. A stopping server is not ready, whatever its dependencies say.
 * A store that refused a write for lack of space within the last minute is said to be {@code full};
 * the server stays ready then, since it still serves every read.
 */
final class Health {
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final Database database;
  private final BlobStore blobs;
  private final Unavailable unavailable;
  private final Executor executor = task -> Thread.ofVirtual().name("wharf-health").start(task);
  private volatile boolean stopping;

  Health(Database database, BlobStore blobs, Unavailable unavailable) {
    this.database = database;
    this.blobs = blobs;
    this.unavailable = unavailable;
  }

  /** From now on the server is not ready: it is stopping, and a load balancer should send no more requests. */
  void stopping() {
    stopping = true;
  }

  /** The outcome of one probe: whether each store answered, and those that refused a write for lack of space. */
  record Readiness(boolean database, boolean blobStore, Set<Unavailable.Store> full, boolean stopping) {
    boolean ready() {
      return database && blobStore && !stopping;
    }

    String json() {
      return "{\"status\":\"" + (ready() ? "ready" : stopping ? "stopping" : "unavailable") + "\",\"database\":\""
          + state(database, Unavailable.Store.DATABASE) + "\",\"blobStore\":\""
          + state(blobStore, Unavailable.Store.FILES) + "\"}";
    }

    private String state(boolean reachable, Unavailable.Store store) {
      return !reachable ? "unreachable" : full.contains(store) ? "full" : "ok";
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
    return new Readiness(await(db), await(store), unavailable.full(), stopping);
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
