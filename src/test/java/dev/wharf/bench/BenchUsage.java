package dev.wharf.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * What the whole benchmark JVM (server and client) spent over a scenario: CPU time, bytes allocated
 * and stop-the-world GC pauses. Unlike latencies these hardly depend on what else runs on the
 * machine, so before/after comparisons on a loaded machine can rest on them.
 */
record BenchUsage(long cpuNanos, long allocatedBytes, long pauses, long pauseMillis, long statements) {
  private static final java.util.concurrent.atomic.AtomicLong STATEMENTS = new java.util.concurrent.atomic.AtomicLong();

  /**
   * Counts the SQL statements the server runs from now on (not the audit trail's batched inserts,
   * which are off the request path): the database reads a request costs, whatever the load.
   */
  static void countStatements(org.jdbi.v3.core.Jdbi jdbi) {
    jdbi.setSqlLogger(new org.jdbi.v3.core.statement.SqlLogger() {
      @Override
      public void logAfterExecution(org.jdbi.v3.core.statement.StatementContext context) {
        if (!context.getRawSql().contains("audit_events")) {
          STATEMENTS.incrementAndGet();
        }
      }
    });
  }

  /** Stop-the-world GC pauses seen so far, as [start, end] in epoch milliseconds. */
  private static final java.util.List<long[]> PAUSES = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Starts noting every GC pause (not concurrent cycles), to tell which slow requests met one. */
  static void notePauses() {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getName().contains("Concurrent") || !(gc instanceof javax.management.NotificationEmitter emitter)) {
        continue;
      }
      emitter.addNotificationListener((notification, handback) -> {
        if (com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
            .equals(notification.getType())) {
          var info = com.sun.management.GarbageCollectionNotificationInfo
              .from((javax.management.openmbean.CompositeData) notification.getUserData()).getGcInfo();
          PAUSES.add(new long[] {jvmStart + info.getStartTime(), jvmStart + info.getEndTime()});
        }
      }, null, null);
    }
  }

  /** Whether a GC pause overlapped [startMillis, endMillis] (epoch milliseconds). */
  static boolean pausedDuring(long startMillis, long endMillis) {
    return PAUSES.stream().anyMatch(pause -> pause[0] <= endMillis && pause[1] >= startMillis);
  }

  static BenchUsage now() {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long pauses = 0;
    long pauseMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      // G1's "Concurrent GC" bean counts background cycles, not pauses.
      if (!gc.getName().contains("Concurrent")) {
        pauses += gc.getCollectionCount();
        pauseMillis += gc.getCollectionTime();
      }
    }
    return new BenchUsage(os.getProcessCpuTime(), threads.getTotalThreadAllocatedBytes(), pauses, pauseMillis,
        STATEMENTS.get());
  }

  /** Since this reading, per request: SQL statements, CPU ms and KiB allocated; and the GC pauses (count/ms) in all. */
  String perRequest(int requests) {
    BenchUsage end = now();
    return String.format("%5.2f %7.2f %8.0f %4d/%-4d", (end.statements - statements) / (double) requests,
        (end.cpuNanos - cpuNanos) / 1e6 / requests, (end.allocatedBytes - allocatedBytes) / 1024.0 / requests,
        end.pauses - pauses, end.pauseMillis - pauseMillis);
  }

  static String header() {
    return String.format("%5s %7s %8s %9s", "SQL", "cpu ms", "KiB", "GC n/ms");
  }
}
