package dev.wharf.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.wharf.testing.TestingDatabases;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two buses on one PostgreSQL schema stand for two nodes. */
class PostgresChangeBusTest {
  private static final Duration CHECK = Duration.ofMillis(200);

  private String url;
  private HikariDataSource pool;
  private PostgresChangeBus first;
  private PostgresChangeBus second;
  private final BlockingQueue<String> heardByFirst = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> heardBySecond = new LinkedBlockingQueue<>();

  @BeforeEach
  void twoNodes() throws InterruptedException {
    url = TestingDatabases.freshPostgresUrl();
    pool = new HikariDataSource();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(4);
    first = new PostgresChangeBus(pool, url, CHECK);
    second = new PostgresChangeBus(pool, url, CHECK);
    first.subscribe("tokens", key -> heardByFirst.add("tokens:" + key));
    second.subscribe("tokens", key -> heardBySecond.add("tokens:" + key));
    second.subscribe("packages", key -> heardBySecond.add("packages:" + key));
    first.start();
    second.start();
    // each starts by dropping everything once it listens
    assertThat(heardByFirst.poll(10, TimeUnit.SECONDS)).isEqualTo("tokens:*");
    assertThat(heardBySecond.poll(10, TimeUnit.SECONDS)).isIn("tokens:*", "packages:*");
    assertThat(heardBySecond.poll(10, TimeUnit.SECONDS)).isIn("tokens:*", "packages:*");
  }

  @AfterEach
  void stop() {
    first.close();
    second.close();
    pool.close();
  }

  @Test
  void aChangePublishedByOneNodeReachesTheOtherButNotItself() throws InterruptedException {
    first.publish("packages", "owner\u001fdomain\u001frepo\u001fnpm\u001f\u001fleft-pad");
    first.publish("tokens", "*");
    assertThat(heardBySecond.poll(5, TimeUnit.SECONDS)).isEqualTo("packages:owner\u001fdomain\u001frepo\u001fnpm\u001f\u001fleft-pad");
    assertThat(heardBySecond.poll(5, TimeUnit.SECONDS)).isEqualTo("tokens:*");
    assertThat(heardByFirst.poll(3 * CHECK.toMillis(), TimeUnit.MILLISECONDS)).as("its own change").isNull();
  }

  @Test
  void aKeyTooLongForANotificationIsPublishedAsEverything() throws InterruptedException {
    first.publish("packages", "x".repeat(10_000));
    assertThat(heardBySecond.poll(5, TimeUnit.SECONDS)).isEqualTo("packages:*");
  }

  @Test
  void aLostNotificationIsNoticedByTheSequenceCheckAndEverythingIsDropped() throws Exception {
    // a change whose notification never arrived: the sequence moved, nothing was sent
    try (Connection connection = DriverManager.getConnection(url)) {
      connection.createStatement().execute("SELECT nextval('wharf_change_seq')");
    }
    long start = System.nanoTime();
    assertThat(heardBySecond.poll(10, TimeUnit.SECONDS)).isIn("tokens:*", "packages:*");
    assertThat(heardBySecond.poll(10, TimeUnit.SECONDS)).isIn("tokens:*", "packages:*");
    assertThat(heardByFirst.poll(10, TimeUnit.SECONDS)).isEqualTo("tokens:*");
    System.out.printf("lost notification noticed after %d ms (check interval %d ms)%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), CHECK.toMillis());
  }

  @Test
  void aNodeWhoseListeningConnectionDropsReconnectsDropsEverythingAndHearsChangesAgain() throws Exception {
    try (Connection connection = DriverManager.getConnection(url);
        var statement = connection.prepareStatement(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ?")) {
      statement.setString(1, second.applicationName());
      statement.execute();
    }
    List<String> afterReconnect = List.of(heardBySecond.poll(15, TimeUnit.SECONDS), heardBySecond.poll(15, TimeUnit.SECONDS));
    assertThat(afterReconnect).containsExactlyInAnyOrder("tokens:*", "packages:*");
    first.publish("tokens", "*");
    assertThat(heardBySecond.poll(5, TimeUnit.SECONDS)).isEqualTo("tokens:*");
  }

  @Test
  void installationsInOtherSchemasOfTheSameDatabaseDoNotHearEachOther() throws InterruptedException {
    String otherUrl = TestingDatabases.freshPostgresUrl();
    try (HikariDataSource otherPool = new HikariDataSource()) {
      otherPool.setJdbcUrl(otherUrl);
      otherPool.setMaximumPoolSize(2);
      try (PostgresChangeBus other = new PostgresChangeBus(otherPool, otherUrl, CHECK)) {
        other.start();
        other.publish("tokens", "*");
        assertThat(heardBySecond.poll(3 * CHECK.toMillis(), TimeUnit.MILLISECONDS)).isNull();
      }
    }
  }

  @Test
  void channelNamesAreSafeIdentifiersOfAtMost63Characters() throws SQLException {
    assertThat(PostgresChangeBus.channelName("wharf_test_abc")).isEqualTo("wharf_changes_wharf_test_abc");
    assertThat(PostgresChangeBus.channelName("we\"ird-name")).isEqualTo("wharf_changes_we_ird_name");
    assertThat(PostgresChangeBus.channelName("s".repeat(100))).hasSize(63);
  }
}
