package dev.wharf.format;

import static dev.wharf.testing.TestingTarballs.gzip;
import static dev.wharf.testing.TestingTarballs.putFile;
import static dev.wharf.testing.TestingTarballs.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzEntriesTest {
  private static final int MAX_FILE = 1024;
  private static final long MAX_INFLATED = 64 * 1024;
  private static final TarGzEntries.Search PACKAGE_JSON = search("package/package.json");

  @TempDir Path directory;

  private static TarGzEntries.Search search(String path) {
    return new TarGzEntries.Search("The tarball", "package.json", path::equals, MAX_FILE,
        new InflationBound(100, MAX_INFLATED, MAX_INFLATED));
  }

  @Test
  void theFirstRegularFileWithTheNameIsReadAndALeadingDotSlashDoesNotCount() throws IOException {
    Path tarGz = stored(tar("package/index.js", "module.exports = 1;",
        "./package/package.json", "{\"first\":true}", "package/package.json", "{\"second\":true}"));

    assertThat(TarGzEntries.firstFile(tarGz, PACKAGE_JSON)).hasValueSatisfying(
        content -> assertThat(new String(content, StandardCharsets.UTF_8)).isEqualTo("{\"first\":true}"));
  }

  @Test
  void anArchiveWithoutTheFileHasNoneAndLinksOrFoldersWithItsNameAreNotIt() throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      TarArchiveEntry link = new TarArchiveEntry("package/package.json", TarConstants.LF_SYMLINK);
      link.setLinkName("../elsewhere.json");
      out.putArchiveEntry(link);
      out.closeArchiveEntry();
      out.putArchiveEntry(new TarArchiveEntry("package/package.json", TarConstants.LF_DIR));
      out.closeArchiveEntry();
      putFile(out, "package/other.json", "{}");
    }

    assertThat(TarGzEntries.firstFile(stored(tar.toByteArray()), PACKAGE_JSON)).isEmpty();
  }

  @Test
  void aSizeFieldEndingInASpaceOrInANulIsRead() throws IOException {
    byte[] tar = tar("package/package.json", "{\"a\":1}");
    for (String size : new String[] {"00000000007 ", "00000000007\0", "     7 \0\0\0\0\0"}) {
      byte[] header = Arrays.copyOf(tar, tar.length);
      System.arraycopy(size.getBytes(StandardCharsets.US_ASCII), 0, header, 124, 12);
      checksum(header);

      assertThat(TarGzEntries.firstFile(stored(header), PACKAGE_JSON)).as(size).hasValueSatisfying(
          content -> assertThat(new String(content, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}"));
    }
  }

  @Test
  void aPaxPathOrAGnuLongNameIsTheEntrysName() throws IOException {
    String name = "package/" + "deep/".repeat(40) + "package.json";
    byte[] pax = tar(TarArchiveOutputStream.LONGFILE_POSIX, name, "{\"long\":true}");
    byte[] gnu = tar(TarArchiveOutputStream.LONGFILE_GNU, name, "{\"long\":true}");
    assertThat(pax[156]).as("a pax header comes first").isEqualTo(TarConstants.LF_PAX_EXTENDED_HEADER_LC);
    assertThat(gnu[156]).as("a GNU long-name entry comes first").isEqualTo(TarConstants.LF_GNUTYPE_LONGNAME);

    for (byte[] tar : new byte[][] {pax, gnu}) {
      assertThat(TarGzEntries.firstFile(stored(tar), search(name))).hasValueSatisfying(
          content -> assertThat(new String(content, StandardCharsets.UTF_8)).isEqualTo("{\"long\":true}"));
    }
  }

  @Test
  void aTruncatedArchiveIsInvalid() throws IOException {
    byte[] tar = tar("package/index.js", "x".repeat(5000),
        "package/package.json", "{}");
    byte[] tarGz = Files.readAllBytes(stored(tar));
    Path cutGzip = write(Arrays.copyOf(tarGz, tarGz.length / 2));
    Path cutTar = stored(Arrays.copyOf(tar, 512 + 2000));

    for (Path truncated : new Path[] {cutGzip, cutTar}) {
      assertThatThrownBy(() -> TarGzEntries.firstFile(truncated, PACKAGE_JSON))
          .isInstanceOf(WharfException.Invalid.class).hasMessageStartingWith("The tarball is damaged: ");
    }
  }

  @Test
  void aBodyThatIsNotGzipIsInvalid() throws IOException {
    for (byte[] body : new byte[][] {"not a tarball".getBytes(StandardCharsets.UTF_8), new byte[0],
        tar("package/package.json", "{}")}) {
      Path file = write(body);

      assertThatThrownBy(() -> TarGzEntries.firstFile(file, PACKAGE_JSON)).isInstanceOf(WharfException.Invalid.class)
          .hasMessageStartingWith("The tarball is not a gzip-compressed tar archive");
    }
  }

  @Test
  void aHeaderWithAnUnreadableOrNegativeSizeIsInvalid() throws IOException {
    byte[] tar = tar("package/package.json", "{}");
    byte[] notOctal = Arrays.copyOf(tar, tar.length);
    System.arraycopy("0000000009z ".getBytes(StandardCharsets.US_ASCII), 0, notOctal, 124, 12);
    checksum(notOctal);
    byte[] negative = Arrays.copyOf(tar, tar.length);
    Arrays.fill(negative, 124, 136, (byte) 0xff);
    checksum(negative);

    for (byte[] corrupt : new byte[][] {notOctal, negative}) {
      Path file = stored(corrupt);
      assertThatThrownBy(() -> TarGzEntries.firstFile(file, PACKAGE_JSON)).isInstanceOf(WharfException.Invalid.class)
          .hasMessageStartingWith("The tarball is damaged: ");
    }
  }

  @Test
  void aSparseFileIsRefusedRatherThanItsHolesSkipped() throws IOException {
    byte[] tar = tar("package/holes", "x", "package/package.json", "{}");
    tar[156] = TarConstants.LF_GNUTYPE_SPARSE;
    byte[] gnuSparse = String.join("", "ustar  \0", "\0".repeat(386 - 265), "77777777770 ", "00000000001 ",
        "\0".repeat(483 - 410), "77777777771 ").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(gnuSparse, 0, tar, 257, gnuSparse.length);
    checksum(tar);
    Path file = stored(tar);

    assertThatThrownBy(() -> TarGzEntries.firstFile(file, PACKAGE_JSON)).isInstanceOf(WharfException.Invalid.class)
        .hasMessage("The tarball has a sparse file, which no package archive needs");
  }

  @Test
  void aFileUpToTheLimitIsReadAndALargerOneIsRefused() throws IOException {
    Path atLimit = stored(tar("package/package.json", "a".repeat(MAX_FILE)));
    Path overLimit = stored(tar("package/package.json", "a".repeat(MAX_FILE + 1)));

    assertThat(TarGzEntries.firstFile(atLimit, PACKAGE_JSON)).hasValueSatisfying(content -> assertThat(content)
        .hasSize(MAX_FILE));
    assertThatThrownBy(() -> TarGzEntries.firstFile(overLimit, PACKAGE_JSON)).isInstanceOf(WharfException.Invalid.class)
        .hasMessage("The tarball's package.json is larger than 1024 bytes");
  }

  @Test
  void paxOrGnuLongNameDataFarLargerThanTheLimitIsRefusedBeforeItIsRead() throws IOException {
    String hugeName = "package/" + "x".repeat(40 * 1024);
    for (Path file : new Path[] {behindHeaders(TarConstants.LF_PAX_EXTENDED_HEADER_LC, paxPath(hugeName), 1),
        behindHeaders(TarConstants.LF_GNUTYPE_LONGNAME, hugeName.getBytes(StandardCharsets.UTF_8), 1)}) {

      assertThatThrownBy(() -> TarGzEntries.firstFile(file, PACKAGE_JSON)).isInstanceOf(WharfException.Invalid.class)
          .hasMessage("The tarball has a header entry larger than 1024 bytes");
    }
  }

  @Test
  void aFewHeadersInFrontOfAnEntryAreReadButThousandsAreInvalidRatherThanAStackOverflow() throws IOException {
    var roomForThousands = new TarGzEntries.Search("The tarball", "package.json", "package/package.json"::equals,
        4 * 1024 * 1024, new InflationBound(100, 1L << 30, 1L << 30));
    byte[] gnu = "package/package.json".getBytes(StandardCharsets.UTF_8);
    byte[] pax = paxPath("package/package.json");
    for (byte type : new byte[] {TarConstants.LF_GNUTYPE_LONGNAME, TarConstants.LF_PAX_EXTENDED_HEADER_LC}) {
      byte[] data = type == TarConstants.LF_GNUTYPE_LONGNAME ? gnu : pax;
      Path few = behindHeaders(type, data, 16);
      Path thousands = behindHeaders(type, data, 4000);

      assertThat(TarGzEntries.firstFile(few, roomForThousands)).as("type %c", type).isPresent();
      assertThatThrownBy(() -> TarGzEntries.firstFile(thousands, roomForThousands)).as("type %c", type)
          .isInstanceOf(WharfException.Invalid.class)
          .hasMessage("The tarball is damaged: More than 16 headers in front of one entry");
    }
  }

  @Test
  void theFileMustBeInTheFirstInflatedBytes() throws IOException {
    Path afterABigFile = stored(tar("package/big.bin",
        "b".repeat((int) MAX_INFLATED), "package/package.json", "{}"));
    String[] manyEmptyFiles = new String[2 * 200];
    for (int i = 0; i < 200; i++) {
      manyEmptyFiles[2 * i] = "package/empty-" + i;
      manyEmptyFiles[2 * i + 1] = "";
    }
    Path afterManyHeaders = stored(tar(manyEmptyFiles));

    for (Path file : new Path[] {afterABigFile, afterManyHeaders}) {
      assertThatThrownBy(() -> TarGzEntries.firstFile(file, PACKAGE_JSON)).isInstanceOf(WharfException.Invalid.class)
          .hasMessageStartingWith("The tarball has no package.json in its first 65536 bytes");
    }
  }

  @Test
  void whatIsInflatedIsBoundedByTheArchivesSizeTimesTheRatioWithinTheFloorAndTheCap() {
    InflationBound bound = new InflationBound(100, 1000, 1_000_000);

    assertThat(bound.limitFor(0)).isEqualTo(1000);
    assertThat(bound.limitFor(5)).isEqualTo(1000);
    assertThat(bound.limitFor(50)).isEqualTo(5000);
    assertThat(bound.limitFor(10_000)).isEqualTo(1_000_000);
    assertThat(bound.limitFor(Long.MAX_VALUE)).isEqualTo(1_000_000);
  }

  @Test
  void aBombIsRefusedOnceItInflatesMoreThanTheRatioAllowsWhileAnArchiveWithinItIsRead() throws IOException {
    var bounded = new TarGzEntries.Search("The tarball", "package.json", "package/package.json"::equals, MAX_FILE,
        new InflationBound(100, 64 * 1024, 1L << 30));
    // 8 MiB of zeros gzip to about 8 KiB: 1000 to 1, ten times what is allowed
    Path bomb = stored(tar("package/zeros.bin", "\0".repeat(8 * 1024 * 1024), "package/package.json", "{}"));
    Path ordinary = stored(tar("package/index.js", "x".repeat(32 * 1024), "package/package.json", "{}"));

    assertThatThrownBy(() -> TarGzEntries.firstFile(bomb, bounded)).isInstanceOf(WharfException.Invalid.class)
        .hasMessageContaining("100 times its compressed");
    assertThatThrownBy(() -> TarGzEntries.fileOfCheckedArchive(bomb, bounded, entry -> { }))
        .isInstanceOf(WharfException.Invalid.class).hasMessageStartingWith("The tarball unpacks to more than");
    assertThat(TarGzEntries.firstFile(ordinary, bounded)).isPresent();
  }

  @Test
  void aFileThatCannotBeReadIsTheServersFaultNotTheArchives() {
    assertThatThrownBy(() -> TarGzEntries.firstFile(directory, PACKAGE_JSON)).isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(() -> TarGzEntries.firstFile(directory.resolve("missing.tgz"), PACKAGE_JSON))
        .isInstanceOf(UncheckedIOException.class);
  }

  /** A tar.gz with {@code count} pax or GNU long-name entries holding {@code data} in front of one file. */
  private Path behindHeaders(byte type, byte[] data, int count) throws IOException {
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
      for (int i = 0; i < count; i++) {
        TarArchiveEntry header = new TarArchiveEntry("././@LongLink", type);
        header.setSize(data.length);
        out.putArchiveEntry(header);
        out.write(data);
        out.closeArchiveEntry();
      }
      putFile(out, "package/package.json", "{}");
    }
    return stored(tar.toByteArray());
  }

  /** A pax record "{length} path={path}\n", whose length counts its own digits. */
  private static byte[] paxPath(String path) {
    String record = " path=" + path + "\n";
    int digits = String.valueOf(record.length()).length();
    if (String.valueOf(record.length() + digits).length() > digits) {
      digits++;
    }
    return ((record.length() + digits) + record).getBytes(StandardCharsets.UTF_8);
  }

  /** Rewrites the checksum of the first header after its bytes were changed. */
  private static void checksum(byte[] tar) {
    Arrays.fill(tar, 148, 156, (byte) ' ');
    long sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += tar[i] & 0xff;
    }
    System.arraycopy(String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII), 0, tar, 148, 8);
  }

  private Path stored(byte[] tar) throws IOException {
    return write(gzip(tar));
  }

  private Path write(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(directory, "archive", ".tgz"), bytes);
  }
}
