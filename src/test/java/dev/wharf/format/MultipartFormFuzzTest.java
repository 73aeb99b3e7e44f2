package dev.wharf.format;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.error.WharfException;
import dev.wharf.testing.TestingFuzzFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * Fuzzes multipart/form-data as a PyPI upload is read ({@link MultipartForm#boundary} of the Content-Type, then
 * {@link MultipartForm#read} of the body, files spooled to disk). The input's first line is the Content-Type; the
 * rest is the body. Only {@link WharfException} (a 4xx) may come out.
 */
class MultipartFormFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void formsAreReadOrRefusedWithA4xx(byte[] input) {
    int newline = indexOf(input, (byte) '\n');
    String contentType = new String(input, 0, newline < 0 ? input.length : newline, StandardCharsets.UTF_8);
    int bodyStart = newline < 0 ? input.length : newline + 1;
    try {
      String boundary = MultipartForm.boundary(contentType);
      MultipartForm.Form form = MultipartForm.read(
          new ByteArrayInputStream(input, bodyStart, input.length - bodyStart), boundary,
          new MultipartForm.Limits(4096, 4096, 100), start -> {
            try {
              return Files.createTempFile(TestingFuzzFiles.scratch(), "part-", ".upload");
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
          });
      for (MultipartForm.StoredFile file : form.files()) {
        Files.deleteIfExists(file.path());
      }
    } catch (WharfException refused) {
      // the documented refusal
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(byte[] bytes, byte wanted) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }
}
