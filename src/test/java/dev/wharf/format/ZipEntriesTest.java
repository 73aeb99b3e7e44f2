package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZipEntriesTest {
  private static final long MAX_INFLATED = 64 * 1024;
  private static final ZipEntries.Limits LIMITS = new ZipEntries.Limits("The package", 10, 1024,
      new InflationBound(100, MAX_INFLATED, MAX_INFLATED));

  @TempDir Path directory;

  @Test
  void theOneMatchingFileIsReadAndEntriesAreListedInOrder() throws IOException {
    Path zip = stored(zip("lib/", "", "lib/a.dll", "binary", "demo.nuspec", "<package/>"));

    try (ZipEntries entries = ZipEntries.open(zip, LIMITS)) {
      assertThat(entries.names()).containsExactly("lib/", "lib/a.dll", "demo.nuspec");
      assertThat(entries.single(name -> name.endsWith(".nuspec"), ".nuspec"))
          .hasValueSatisfying(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("<package/>"));
      assertThat(entries.file("lib/a.dll")).hasValueSatisfying(bytes -> assertThat(bytes).hasSize(6));
      assertThat(entries.file("missing")).isEmpty();
      assertThat(entries.single(name -> name.endsWith(".json"), "package.json")).isEmpty();
    }
  }

  @Test
  void twoMatchingFilesAreRefused() throws IOException {
    Path zip = stored(zip("a.nuspec", "<package/>", "b.nuspec", "<package/>"));

    try (ZipEntries entries = ZipEntries.open(zip, LIMITS)) {
      assertThatThrownBy(() -> entries.single(name -> name.endsWith(".nuspec"), ".nuspec"))
          .isInstanceOf(WharfException.Invalid.class).hasMessage("The package has more than one .nuspec");
    }
  }

  @Test
  void namesThatLeaveTheArchivesFolderAreRefusedOnOpening() throws IOException {
    for (String name : new String[] {"../evil", "lib/../../evil", "/etc/passwd", "C:/evil", "lib\\..\\evil", "lib/.."}) {
      Path zip = stored(zip("ok.txt", "x", name, "y"));

      assertThatThrownBy(() -> ZipEntries.open(zip, LIMITS)).as(name).isInstanceOf(WharfException.Invalid.class)
          .hasMessageStartingWith("The package has an entry outside its folder: ");
    }
    assertThat(ZipEntries.leavesItsFolder("lib/..a/b..")).isFalse();
  }

  @Test
  void anEntryNamedTwiceIsRefused() throws IOException {
    byte[] bytes = zip("a.nuspec", "<package/>", "b.nuspec", "<other/>");
    Path zip = stored(replaceAll(bytes, "b.nuspec", "a.nuspec"));

    assertThatThrownBy(() -> ZipEntries.open(zip, LIMITS)).isInstanceOf(WharfException.Invalid.class)
        .hasMessage("The package has the entry \"a.nuspec\" twice");
  }

  @Test
  void moreEntriesThanTheLimitAreRefused() throws IOException {
    String[] namesAndContents = new String[22];
    for (int i = 0; i < 11; i++) {
      namesAndContents[2 * i] = "file" + i;
      namesAndContents[2 * i + 1] = "x";
    }
    Path zip = stored(zip(namesAndContents));

    assertThatThrownBy(() -> ZipEntries.open(zip, LIMITS)).isInstanceOf(WharfException.Invalid.class)
        .hasMessage("The package has more than 10 entries");
  }

  @Test
  void aFileLargerThanTheLimitIsRefusedWhateverItDeclares() throws IOException {
    Path zip = stored(zip("big.nuspec", "x".repeat(1025)));

    try (ZipEntries entries = ZipEntries.open(zip, LIMITS)) {
      assertThatThrownBy(() -> entries.file("big.nuspec")).isInstanceOf(WharfException.Invalid.class)
          .hasMessage("The package's big.nuspec exceeds 1024 bytes");
    }
  }

  @Test
  void anEntryDeclaringMoreThanTheArchiveMayInflateToIsRefusedOnOpening() throws IOException {
    Path zip = stored(zip("bomb.bin", "\0".repeat((int) MAX_INFLATED + 1)));

    assertThatThrownBy(() -> ZipEntries.open(zip, LIMITS)).isInstanceOf(WharfException.Invalid.class)
        .hasMessageStartingWith("The package's entry \"bomb.bin\" declares 65537 bytes, more than it may unpack to: ");
  }

  @Test
  void readsTogetherStopAtTheArchivesInflationBound() throws IOException {
    ZipEntries.Limits limits = new ZipEntries.Limits("The package", 10, 1024, new InflationBound(1, 1500, 1500));
    Path zip = stored(zip("a", "\0".repeat(1000), "b", "\0".repeat(1000)));

    try (ZipEntries entries = ZipEntries.open(zip, limits)) {
      assertThat(entries.file("a")).isPresent();
      assertThatThrownBy(() -> entries.file("b")).isInstanceOf(WharfException.Invalid.class)
          .hasMessageStartingWith("The package's b exceeds 1500 bytes (1 times its compressed ");
    }
  }

  @Test
  void somethingThatIsNotAZipOrIsTruncatedIsInvalid() throws IOException {
    Path text = Files.writeString(directory.resolve("text.zip"), "not a zip");
    byte[] valid = zip("a", "x".repeat(500));
    Path truncated = stored(Arrays.copyOf(valid, valid.length / 2));

    for (Path refused : new Path[] {text, truncated}) {
      assertThatThrownBy(() -> ZipEntries.open(refused, LIMITS)).isInstanceOf(WharfException.Invalid.class)
          .hasMessageStartingWith("The package is not a valid zip file: ");
    }
  }

  private Path stored(byte[] bytes) throws IOException {
    return Files.write(Files.createTempFile(directory, "archive", ".zip"), bytes);
  }

  static byte[] zip(String... namesAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        zip.putNextEntry(new ZipEntry(namesAndContents[i]));
        zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static byte[] replaceAll(byte[] bytes, String from, String to) {
    byte[] find = from.getBytes(StandardCharsets.US_ASCII);
    byte[] replacement = to.getBytes(StandardCharsets.US_ASCII);
    byte[] result = bytes.clone();
    for (int i = 0; i + find.length <= result.length; i++) {
      if (Arrays.equals(result, i, i + find.length, find, 0, find.length)) {
        System.arraycopy(replacement, 0, result, i, replacement.length);
      }
    }
    return result;
  }
}
