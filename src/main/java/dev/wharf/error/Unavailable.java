package dev.wharf.error;

import dev.wharf.blob.BlobStoreUnavailableException;
import dev.wharf.store.DatabaseUnavailable;
import java.util.Optional;

/**
 * Tells failures that may pass (the database or the blob store cannot be reached) from Wharf's own
 * failures, so that every endpoint answers 503 "retry later" in its protocol's shape for the
 * former and keeps 500 for the latter.
 */
public final class Unavailable {
  /** What clients see when the blob store cannot be reached. */
  public static final String BLOB_STORE_MESSAGE =
      "The service is temporarily unavailable: its blob storage cannot be reached. Retry later.";

  private Unavailable() {}

  /** The message for clients when {@code failure} says a backing service cannot be reached; empty otherwise. */
  public static Optional<String> reason(Throwable failure) {
    if (DatabaseUnavailable.causedBy(failure)) {
      return Optional.of(DatabaseUnavailable.MESSAGE);
    }
    int depth = 0;
    for (Throwable t = failure; t != null && depth < 20; t = t.getCause(), depth++) {
      if (t instanceof BlobStoreUnavailableException) {
        return Optional.of(BLOB_STORE_MESSAGE);
      }
    }
    return Optional.empty();
  }
}
