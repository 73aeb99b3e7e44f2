package dev.wharf.testing;

import java.lang.ref.WeakReference;

/** Whether something can be collected: asks for full collections until a weak reference clears. */
public final class TestingGc {
  private TestingGc() {}

  /** True once {@code reference} is cleared, after up to 50 requested collections (false if it never is). */
  public static boolean collected(WeakReference<?> reference) throws InterruptedException {
    for (int attempt = 0; attempt < 50; attempt++) {
      System.gc();
      if (reference.get() == null) {
        return true;
      }
      Thread.sleep(20);
    }
    return false;
  }
}
