package dev.wharf.testing;

import dev.wharf.packages.PackageStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link PackageStore} whose process "dies" after a given number of writes: the next write throws
 * {@link Killed} (an {@code Error}, so no handler on the way catches it) and writes nothing, as a server
 * killed with SIGKILL between two transactions. Reads go through. Walking the count from 0 up visits every
 * point between two writes where a kill can leave a publish, which a real kill hits only by chance
 * (CrashConsistencyIT does that).
 */
public final class TestingCrashingStore {
  /** Methods that only read; every other method of the store counts as a write (a new one too). */
  private static final List<String> READS = List.of("find", "list", "read", "latest", "tagged", "distTags",
      "originRestrictions", "packageNames");

  /** The process died here. */
  public static final class Killed extends Error {
    private static final long serialVersionUID = 1L;

    Killed(String write) {
      super("killed before " + write);
    }
  }

  private final PackageStore store;
  private final AtomicInteger writes = new AtomicInteger();

  private TestingCrashingStore(PackageStore delegate, int writesBeforeTheKill) {
    Objects.requireNonNull(delegate, "delegate");
    AtomicInteger left = new AtomicInteger(writesBeforeTheKill);
    this.store = (PackageStore) Proxy.newProxyInstance(PackageStore.class.getClassLoader(),
        new Class<?>[] {PackageStore.class}, (proxy, method, arguments) -> {
          if (method.getDeclaringClass() == Object.class) {
            return method.invoke(delegate, arguments);
          }
          boolean read = READS.stream().anyMatch(method.getName()::startsWith);
          if (!read && !method.isDefault()) {
            if (left.getAndDecrement() <= 0) {
              throw new Killed(method.getName());
            }
            writes.incrementAndGet();
          }
          try {
            // a default method runs as the interface wrote it, over the proxy: its writes count once each
            return method.isDefault() ? InvocationHandler.invokeDefault(proxy, method, arguments)
                : method.invoke(delegate, arguments);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /** {@code delegate}, killed at its {@code writesBeforeTheKill + 1}-th write. */
  public static TestingCrashingStore killedAfter(int writesBeforeTheKill, PackageStore delegate) {
    return new TestingCrashingStore(delegate, writesBeforeTheKill);
  }

  public PackageStore store() {
    return store;
  }

  /** Writes done so far. */
  public int writes() {
    return writes.get();
  }

  /** Runs {@code work}; true when it ran to its end, false when the kill stopped it. */
  public static boolean survives(Runnable work) {
    try {
      work.run();
      return true;
    } catch (Killed killed) {
      return false;
    }
  }
}
