package dev.wharf.store;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Queues this process's SQLite transactions on one fair lock. SQLite has a single writer, and its
 * busy handler is not fair: a waiting transaction polls with growing sleeps while others take the
 * lock in between, so under a steady stream of writes (a few hundred Maven files deployed by 8
 * threads on a loaded machine) one transaction could wait past {@code busy_timeout} and fail with
 * SQLITE_BUSY. Transactions here are short and write-mostly (BEGIN IMMEDIATE), so queueing them in
 * arrival order costs nothing; reads outside transactions are not queued (WAL lets them run), and
 * the busy timeout still covers other processes on the same file. The lock is taken after the
 * connection, so code must not open a second connection inside a transaction (none does).
 */
final class SqliteWriteQueue extends DelegatingTransactionHandler {
  private final ReentrantLock lock;

  SqliteWriteQueue(TransactionHandler delegate) {
    this(delegate, new ReentrantLock(true));
  }

  private SqliteWriteQueue(TransactionHandler delegate, ReentrantLock lock) {
    super(delegate);
    this.lock = lock;
  }

  @Override
  public TransactionHandler specialize(Handle handle) throws SQLException {
    return new SqliteWriteQueue(getDelegate().specialize(handle), lock);
  }

  @Override
  public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback) throws X {
    lock.lock();
    try {
      return super.inTransaction(handle, callback);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public <R, X extends Exception> R inTransaction(Handle handle, TransactionIsolationLevel level,
      HandleCallback<R, X> callback) throws X {
    lock.lock();
    try {
      return super.inTransaction(handle, level, callback);
    } finally {
      lock.unlock();
    }
  }
}
