package dev.wharf.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.testing.TestingDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterLockTest {
  private static final long KEY = 0x7465737420636cL + System.nanoTime() % 1_000_000; // unique per run

  @TempDir Path directory;

  @Test
  void on_postgresql_a_task_is_skipped_while_another_session_holds_the_lock_and_runs_once_it_is_free() throws Exception {
    String url = TestingDatabases.freshPostgresUrl();
    AtomicInteger runs = new AtomicInteger();
    try (Database database = Database.open(url); Connection otherNode = DriverManager.getConnection(url)) {
      ClusterLock lock = new ClusterLock(database, KEY);
      try (ResultSet locked = otherNode.createStatement().executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
        assertThat(locked.next() && locked.getBoolean(1)).isTrue();
      }

      assertThat(lock.runIfFree(runs::incrementAndGet)).isFalse();
      assertThat(runs).hasValue(0);

      otherNode.createStatement().execute("SELECT pg_advisory_unlock(" + KEY + ")");
      assertThat(lock.runIfFree(runs::incrementAndGet)).isTrue();
      assertThat(runs).hasValue(1);
      // released after the task: the other node can take it again
      try (ResultSet locked = otherNode.createStatement().executeQuery("SELECT pg_try_advisory_lock(" + KEY + ")")) {
        assertThat(locked.next() && locked.getBoolean(1)).isTrue();
      }
    }
  }

  @Test
  void on_sqlite_a_single_node_just_runs_the_task() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    try (Database database = TestingDatabases.sqlite(directory)) {
      assertThat(new ClusterLock(database, KEY).runIfFree(runs::incrementAndGet)).isTrue();
    }
    assertThat(runs).hasValue(1);
  }
}
