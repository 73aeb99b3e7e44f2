package dev.wharf.cluster;

import java.util.Objects;
import java.util.function.Consumer;

/** The bus of a single node (SQLite): there are no other nodes, so publishing tells nobody. */
public final class LocalChangeBus implements ChangeBus {
  @Override
  public void publish(String topic, String key) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(key, "key");
  }

  @Override
  public void subscribe(String topic, Consumer<String> listener) {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void start() {}

  @Override
  public void close() {}
}
