package dev.wharf.store;

import dev.wharf.error.RepeatedWarning;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes rows off the request path: requests hand items to a bounded queue, one thread stores
 * them in batches (one transaction each). A full queue makes submitters wait, so nothing is lost
 * while the process lives and the database takes writes; {@link #flush()} waits until everything
 * submitted so far is stored. A batch the database refuses (unreachable, or its disk full) is
 * dropped: a warning says so, at most once a minute with the rows dropped since, without a stack trace.
 */
public final class BatchWriter<T> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  private final String name;
  private final Consumer<List<T>> sink;
  private final int batchSize;
  private final BlockingQueue<T> queue;
  private final AtomicLong submitted = new AtomicLong();
  private final AtomicLong settled = new AtomicLong();
  private final Thread writer;
  private final RepeatedWarning failures = new RepeatedWarning();
  /** Rows dropped since the last warning (the writer thread's alone). */
  private long droppedRows;
  private volatile boolean running = true;

  /**
   * @param name names the writer thread and its log lines
   * @param sink stores one batch (in one transaction); a failure is logged and the batch dropped
   */
  public BatchWriter(String name, int capacity, int batchSize, Consumer<List<T>> sink) {
    this.name = Objects.requireNonNull(name, "name");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.batchSize = batchSize;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.writer = Thread.ofPlatform().name("wharf-" + name).daemon().start(this::drainLoop);
  }

  /** Queues an item, waiting for room when the queue is full. */
  public void submit(T item) {
    submitted.incrementAndGet();
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      settled.incrementAndGet();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while queueing a " + name + " row", e);
    }
  }

  private void drainLoop() {
    List<T> batch = new ArrayList<>(batchSize);
    while (running || !queue.isEmpty()) {
      try {
        T first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, batchSize - 1);
        sink.accept(batch);
      } catch (InterruptedException e) {
        running = false;
      } catch (RuntimeException e) {
        dropped(batch.size(), e);
      } finally {
        settled.addAndGet(batch.size());
        batch.clear();
      }
    }
  }

  private void dropped(int rows, RuntimeException failure) {
    droppedRows += rows;
    OptionalLong skipped = failures.due();
    if (skipped.isPresent()) {
      LOG.warn("could not store {} {} rows, dropped: {}{}", droppedRows, name, RepeatedWarning.describe(failure),
          skipped.getAsLong() == 0 ? "" : " (in " + (skipped.getAsLong() + 1) + " batches since the last line)");
      droppedRows = 0;
    }
  }

  /** Waits (at most 10 s) until every item submitted before this call is stored. */
  public void flush() {
    long target = submitted.get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (settled.get() < target && System.nanoTime() < deadline) {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Stores what is queued, then stops the writer. */
  @Override
  public void close() {
    running = false;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
