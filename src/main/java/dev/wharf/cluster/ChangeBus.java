package dev.wharf.cluster;

import java.util.function.Consumer;

/**
 * Tells the other nodes of a cluster that something they may have cached has changed.
 *
 * <p>A node that changes state clears its own caches synchronously (the services do that); it then
 * {@linkplain #publish publishes} the change, after the change has committed, so every other node
 * clears the same entries. Subscribers hear changes made by other nodes only. When a node may have
 * missed changes (its listening connection dropped, or the periodic check finds a gap) every
 * subscriber is called with {@link #EVERYTHING}: it must then drop all it caches for its topic.
 *
 * <p>On a single node (SQLite) there is nobody to tell: {@link LocalChangeBus} does nothing.
 */
public interface ChangeBus extends AutoCloseable {
  /** The key a subscriber receives when it must drop everything it caches for its topic. */
  String EVERYTHING = "*";

  /** Announces a committed change of {@code key} (or {@link #EVERYTHING}) under {@code topic}. Never throws. */
  void publish(String topic, String key);

  /** Calls {@code listener} with the key of each change another node publishes under {@code topic}. */
  void subscribe(String topic, Consumer<String> listener);

  /**
   * Starts hearing the other nodes. Call it once every subscriber is registered: the first thing a
   * starting bus delivers is {@link #EVERYTHING}, for what changed before it listened.
   */
  void start();

  @Override
  void close();
}
