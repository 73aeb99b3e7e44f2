package dev.wharf.store;

import java.util.function.BiConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/** One SQL statement run for every item of a collection, as one JDBC batch in one transaction. */
public final class SqlBatch {
  private SqlBatch() {}

  /**
   * @param sql the statement, with named parameters
   * @param bind binds one item's values to the statement's parameters (the batch adds the row itself)
   */
  public static <T> void execute(Jdbi jdbi, String sql, Iterable<T> items, BiConsumer<PreparedBatch, T> bind) {
    jdbi.useTransaction(h -> {
      PreparedBatch batch = h.prepareBatch(sql);
      for (T item : items) {
        bind.accept(batch, item);
        batch.add();
      }
      batch.execute();
    });
  }
}
