package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The streamed multipart reader: the caller decides on the fields before any of the file is written. */
class MultipartFormTest {
  private static final String BOUNDARY = "b0undary";
  private static final MultipartForm.Limits LIMITS = new MultipartForm.Limits(1024, 1024, 100);

  @TempDir Path scratch;

  private static ByteArrayInputStream form(String... parts) {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < parts.length; i += 2) {
      String disposition = parts[i].startsWith("file:")
          ? "name=\"" + parts[i].substring(5) + "\"; filename=\"f.bin\"" : "name=\"" + parts[i] + "\"";
      body.append("--").append(BOUNDARY).append("\r\nContent-Disposition: form-data; ").append(disposition)
          .append("\r\n\r\n").append(parts[i + 1]).append("\r\n");
    }
    body.append("--").append(BOUNDARY).append("--\r\n");
    return new ByteArrayInputStream(body.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void theFieldsBeforeAFileAreHandedToTheDecisionAndTheFileIsWrittenWhereItSays() throws IOException {
    List<Map<String, List<String>>> seen = new ArrayList<>();
    Path target = scratch.resolve("content");
    MultipartForm.Form form = MultipartForm.read(form("name", "tiny", "version", "1.0", "file:content", "bytes!",
        "after", "x"), BOUNDARY, LIMITS, start -> {
          seen.add(Map.copyOf(start.fieldsSoFar()));
          return target;
        });
    assertThat(seen).singleElement().satisfies(fields -> assertThat(fields).containsOnlyKeys("name", "version"));
    assertThat(form.field("after")).isEqualTo("x");
    assertThat(form.files()).singleElement().satisfies(file -> {
      assertThat(file.fieldName()).isEqualTo("content");
      assertThat(file.fileName()).isEqualTo("f.bin");
      assertThat(file.size()).isEqualTo(6);
    });
    assertThat(Files.readString(target)).isEqualTo("bytes!");
  }

  @Test
  void aRefusalWhenTheFileBeginsIsThrownAndNothingIsWritten() {
    Path target = scratch.resolve("never");
    assertThatThrownBy(() -> MultipartForm.read(form("name", "tiny", "file:content", "secret"), BOUNDARY, LIMITS,
        start -> {
          throw new WharfException.AccessDenied("no");
        })).isInstanceOf(WharfException.AccessDenied.class);
    assertThat(target).doesNotExist();
  }

  @Test
  void partsNamedAsFilesAreFilesWithoutAFileNameAndKeepTheirOwnLimit() throws IOException {
    Path archive = scratch.resolve("archive");
    MultipartForm.Form form = MultipartForm.read(form("source-archive", "zip bytes", "metadata", "{}"), BOUNDARY,
        LIMITS, Map.of("source-archive", 100L), start -> archive);
    assertThat(form.files()).singleElement().satisfies(file -> {
      assertThat(file.fieldName()).isEqualTo("source-archive");
      assertThat(file.fileName()).isNull();
    });
    assertThat(Files.readString(archive)).isEqualTo("zip bytes");
    assertThat(form.field("metadata")).isEqualTo("{}");

    Path signature = scratch.resolve("signature");
    assertThatThrownBy(() -> MultipartForm.read(form("signature", "s".repeat(11)), BOUNDARY, LIMITS,
        Map.of("signature", 10L), start -> signature)).isInstanceOf(WharfException.TooLarge.class)
        .hasMessageContaining("10 bytes for its signature part");
    assertThat(signature).doesNotExist();
  }

  @Test
  void aFileOverTheLimitIsTooLargeAndIsDeleted() {
    Path target = scratch.resolve("big");
    assertThatThrownBy(() -> MultipartForm.read(form("file:content", "x".repeat(2000)), BOUNDARY, LIMITS,
        start -> target)).isInstanceOf(WharfException.TooLarge.class);
    assertThat(target).doesNotExist();
  }

  @Test
  void fieldsOverTheLimitAreTooLargeAndABodyWithoutItsClosingBoundaryIsInvalid() {
    assertThatThrownBy(() -> MultipartForm.read(form("description", "d".repeat(2000)), BOUNDARY, LIMITS,
        start -> null)).isInstanceOf(WharfException.TooLarge.class);
    ByteArrayInputStream cut = new ByteArrayInputStream(("--" + BOUNDARY + "\r\nContent-Disposition: form-data;"
        + " name=\"name\"\r\n\r\ntiny").getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> MultipartForm.read(cut, BOUNDARY, LIMITS, start -> null))
        .isInstanceOf(WharfException.Invalid.class);
  }

  @Test
  void onlyMultipartFormDataIsTaken() {
    assertThat(MultipartForm.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
    assertThatThrownBy(() -> MultipartForm.boundary("application/json")).isInstanceOf(WharfException.Invalid.class);
    assertThatThrownBy(() -> MultipartForm.boundary(null)).isInstanceOf(WharfException.Invalid.class);
  }

  /** Found by MultipartFormFuzzTest: Jetty's boundary reader threw IllegalArgumentException, answered 500. */
  @Test
  void aContentTypeWithAnUnterminatedQuoteIsRefusedAsNotMultipart() {
    assertThatThrownBy(() -> MultipartForm.boundary("multipart/form-data; boundary=\"abc"))
        .isInstanceOf(WharfException.Invalid.class).hasMessage("An upload must be multipart/form-data");
    assertThatThrownBy(() -> MultipartForm.boundary("\u009f\0\0\0\"")).isInstanceOf(WharfException.Invalid.class);
  }
}
