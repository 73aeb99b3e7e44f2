package dev.wharf.packages;

/**
 * Bounds for caches that hold documents, as a share of the heap the JVM may use: the launcher gives the
 * server a small heap by default, and an operator who raises it (docs/deployment.md) raises these too.
 */
public final class HeapShare {
  private HeapShare() {}

  /** One {@code divisor}-th of the maximum heap, in bytes. */
  public static long of(int divisor) {
    return Runtime.getRuntime().maxMemory() / divisor;
  }
}
