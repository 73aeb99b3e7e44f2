package dev.wharf.cluster;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-node invalidation on PostgreSQL: {@code NOTIFY} to publish, {@code LISTEN} on one dedicated
 * connection (outside the pool) to hear the other nodes.
 *
 * <p>Each notification carries a number from the sequence {@code wharf_change_seq}. PostgreSQL
 * delivers a notification to every listening session once its transaction commits, so while the
 * listening connection is up nothing is lost. Two fallbacks cover the rest: after (re)connecting,
 * the node drops everything it caches (it may have missed changes while deaf); and every
 * {@code checkInterval} it compares the sequence with the highest number it has heard: a number
 * allocated before the previous check and still unheard means a lost notification, and the node
 * drops everything too. A node therefore converges within one notification round trip normally,
 * and within two check intervals when a notification is lost.
 *
 * <p>The channel is named after the schema, so installations sharing one database do not hear each
 * other.
 */
public final class PostgresChangeBus implements ChangeBus {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeBus.class);
  /** PostgreSQL refuses payloads of 8000 bytes or more; longer keys are published as "everything". */
  private static final int MAX_PAYLOAD_BYTES = 7_000;
  private static final int POLL_MILLIS = 100;
  private static final String SEQUENCE = "wharf_change_seq";

  private final DataSource pool;
  private final String jdbcUrl;
  private final Duration checkInterval;
  private final String nodeId = UUID.randomUUID().toString();
  private final String channel;
  private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  private final Thread listener;
  private volatile boolean running = true;
  private volatile Connection listening;
  /** The highest sequence number heard (only the listener thread writes it). */
  private long highestHeard;

  /**
   * Creates the sequence if needed; {@link #start} starts listening.
   *
   * @param pool the pooled data source used to publish
   * @param jdbcUrl the URL the dedicated listening connection is opened with
   * @param checkInterval how often the sequence is compared with what was heard
   */
  public PostgresChangeBus(DataSource pool, String jdbcUrl, Duration checkInterval) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.jdbcUrl = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    this.checkInterval = Objects.requireNonNull(checkInterval, "checkInterval");
    try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement()) {
      try {
        statement.execute("CREATE SEQUENCE IF NOT EXISTS " + SEQUENCE);
      } catch (SQLException raced) {
        // two nodes creating it at the same moment: one wins with a unique violation for the other
        if (!"23505".equals(raced.getSQLState()) && !"42P07".equals(raced.getSQLState())) {
          throw raced;
        }
      }
      try (ResultSet schema = statement.executeQuery("SELECT current_schema()")) {
        schema.next();
        this.channel = channelName(schema.getString(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prepare change notifications: " + e.getMessage(), e);
    }
    this.listener = Thread.ofPlatform().name("wharf-change-listener").daemon().unstarted(this::listen);
  }

  @Override
  public void start() {
    listener.start();
  }

  static String channelName(String schema) {
    String safe = (schema == null ? "public" : schema).replaceAll("[^A-Za-z0-9_]", "_");
    String name = "wharf_changes_" + safe;
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  @Override
  public void publish(String topic, String key) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
    if (topic.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("topic must be one line");
    }
    if ((topic + key).getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
      key = EVERYTHING;
    }
    // Autocommit: the change itself has committed already, and this notification is delivered at once.
    try (Connection connection = pool.getConnection();
        PreparedStatement statement = connection.prepareStatement(
            "SELECT pg_notify(?, ? || chr(10) || nextval('" + SEQUENCE + "') || chr(10) || ? || chr(10) || ?)")) {
      statement.setString(1, channel);
      statement.setString(2, nodeId);
      statement.setString(3, topic);
      statement.setString(4, key);
      statement.execute();
    } catch (SQLException | RuntimeException e) {
      // The other nodes converge anyway: their listening connections drop when the database does,
      // and they drop everything when they reconnect.
      LOG.warn("could not notify other nodes of a change to {}: {}", topic, e.toString());
    }
  }

  @Override
  public void subscribe(String topic, Consumer<String> listener) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(listener, "listener");
    listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
  }

  private void listen() {
    long backoffMillis = 100;
    while (running) {
      try (Connection connection = connect()) {
        listening = connection;
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN \"" + channel + "\"");
        }
        long previous = lastAllocated(connection);
        highestHeard = Math.max(highestHeard, previous);
        // Anything changed while this node was not listening is unknown: drop it all.
        resynchronize("started listening for changes");
        backoffMillis = 100;
        PGConnection notifications = connection.unwrap(PGConnection.class);
        long nextCheck = System.nanoTime() + checkInterval.toNanos();
        while (running) {
          PGNotification[] received = notifications.getNotifications(POLL_MILLIS);
          if (received != null) {
            for (PGNotification notification : received) {
              deliver(notification.getParameter());
            }
          }
          if (System.nanoTime() - nextCheck >= 0) {
            long current = lastAllocated(connection);
            if (previous > highestHeard) {
              highestHeard = previous;
              resynchronize("a change notification was lost (sequence " + previous + ")");
            }
            previous = current;
            nextCheck = System.nanoTime() + checkInterval.toNanos();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          break;
        }
        LOG.warn("change notifications interrupted ({}); reconnecting", e.toString());
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
        backoffMillis = Math.min(backoffMillis * 2, 5_000);
      } finally {
        listening = null;
      }
    }
  }

  /** How the listening connection appears in pg_stat_activity. */
  String applicationName() {
    String name = "wharf " + channel;
    return name.length() > 63 ? name.substring(0, 63) : name;
  }

  private Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("connectTimeout", "5");
    properties.setProperty("socketTimeout", "30");
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", applicationName());
    Connection connection = DriverManager.getConnection(jdbcUrl, properties);
    connection.setAutoCommit(true);
    return connection;
  }

  private static long lastAllocated(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT last_value, is_called FROM " + SEQUENCE)) {
      result.next();
      return result.getBoolean(2) ? result.getLong(1) : 0;
    }
  }

  private void deliver(String payload) {
    String[] parts = payload.split("\n", 4);
    if (parts.length != 4) {
      return;
    }
    try {
      highestHeard = Math.max(highestHeard, Long.parseLong(parts[1]));
    } catch (NumberFormatException notOurs) {
      return;
    }
    if (parts[0].equals(nodeId)) {
      return; // this node cleared its own caches when it made the change
    }
    for (Consumer<String> subscriber : listeners.getOrDefault(parts[2], List.of())) {
      run(subscriber, parts[3]);
    }
  }

  private void resynchronize(String reason) {
    LOG.info("Dropping cached state: {}", reason);
    listeners.values().forEach(topic -> topic.forEach(subscriber -> run(subscriber, EVERYTHING)));
  }

  private static void run(Consumer<String> subscriber, String key) {
    try {
      subscriber.accept(key);
    } catch (RuntimeException e) {
      LOG.warn("a change subscriber failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      if (listener.isAlive()) {
        listener.join(2_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Connection stillOpen = listening;
    if (stillOpen != null) {
      try {
        stillOpen.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
  }
}
