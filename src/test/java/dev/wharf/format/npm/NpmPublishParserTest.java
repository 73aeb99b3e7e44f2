package dev.wharf.format.npm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmPublishParserTest {
  @TempDir Path spool;

  /**
   * Found by NpmPublishFuzzTest: a body whose zero bytes make Jackson read it as UTF-32, cut short of a whole
   * character, failed with CharConversionException, which became an UncheckedIOException and a 500.
   */
  @Test
  void aBodyThatIsNotTextInTheEncodingItSeemsToUseIsRefusedAsMalformed() throws IOException {
    byte[] body = {'\n', 0, 0, 0, 0, 0};
    assertThatThrownBy(() -> NpmPublishParser.parse(new ByteArrayInputStream(body), 1024, spool))
        .isInstanceOf(WharfException.Invalid.class).hasMessageStartingWith("Malformed publish request: ");
    try (var files = Files.list(spool)) {
      assertThat(files).isEmpty();
    }
  }
}
