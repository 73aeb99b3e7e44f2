package dev.wharf.format;

/**
 * How much of an uploaded archive (a gzip'd tar, a zip entry) may be inflated: at most {@code maxRatio}
 * times its compressed size, but always {@code floorBytes} and never more than {@code capBytes}. A
 * decompression bomb costs CPU in proportion to what it inflates to, not to what was sent: a
 * megabyte of gzip'd zeros inflates to a gigabyte in seconds of one core. The ratio bounds that work
 * per byte a client sends; the floor keeps small, very compressible packages (a few files of
 * repeated text) readable; the cap bounds one archive whatever its size.
 *
 * <p>{@link #UPLOADS} is the one bound of every reader of client archives: npm tarballs, PyPI sdists
 * and wheels, cargo crates and gems' {@code data.tar.gz}.
 *
 * @param maxRatio inflated bytes allowed per compressed byte
 * @param floorBytes what any archive may inflate to, however small
 * @param capBytes what no archive may inflate beyond, however large
 */
public record InflationBound(int maxRatio, long floorBytes, long capBytes) {
  /**
   * Every upload's: 100 to 1 (source archives compress 3 to 10 to 1; gzip's own limit is about 1032
   * to 1), at least 32 MiB, at most 512 MiB (crates.io's bound on an unpacked crate).
   */
  public static final InflationBound UPLOADS = new InflationBound(100, 32L * 1024 * 1024, 512L * 1024 * 1024);

  public InflationBound {
    if (maxRatio < 1 || floorBytes < 1 || capBytes < floorBytes) {
      throw new IllegalArgumentException("An inflation bound needs a ratio of at least 1 and 0 < floor <= cap");
    }
  }

  /** The most an archive of {@code compressedBytes} may inflate to. */
  public long limitFor(long compressedBytes) {
    long byRatio = compressedBytes > capBytes / maxRatio ? capBytes : Math.max(0, compressedBytes) * maxRatio;
    return Math.min(capBytes, Math.max(floorBytes, byRatio));
  }

  /** How a refusal states the bound, e.g. "100 times its 1048576 bytes, at most 536870912". */
  public String describe(long compressedBytes) {
    return limitFor(compressedBytes) + " bytes (" + maxRatio + " times its compressed " + compressedBytes
        + " bytes, at least " + floorBytes + " and at most " + capBytes + ")";
  }
}
