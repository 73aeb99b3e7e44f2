package dev.wharf.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Audit fields are shown as one line of printable text, whatever the caller put in them. */
class AuditTextTest {

  @Test
  void separatorsAndTheBackslashBecomeTheirUsualEscapes() {
    assertThat(AuditText.escape("a\tb\nc\rd\\e")).isEqualTo("a\\tb\\nc\\rd\\\\e");
  }

  @Test
  void otherControlsLineSeparatorsAndBidiControlsBecomeUnicodeEscapes() {
    assertThat(AuditText.escape("\u0000\u0007\u001b[2J\u007f\u0085\u2028\u2029\u202a\u202e\u2066\u2069\u200b\ufeff"))
        .isEqualTo("\\u0000\\u0007\\u001B[2J\\u007F\\u0085\\u2028\\u2029\\u202A\\u202E\\u2066\\u2069\\u200B\\uFEFF");
    assertThat(AuditText.escape("tag\uDB40\uDC01")).isEqualTo("tag\\U000E0001");
    assertThat(AuditText.escape("lone\uD800")).isEqualTo("lone\\uD800");
  }

  @Test
  void printableTextOfAnyScriptIsLeftAsItIs() {
    String text = "arn:aws:iam::123456789012:user/zoë-名前-😀 ok";
    assertThat(AuditText.escape(text)).isSameAs(text);
    assertThat(AuditText.escape(null)).isNull();
  }

  @Test
  void jsonEscapesEveryNonPrintableAndStillDecodesToTheRecordedValue() throws Exception {
    String value = "x\u007f\u0085\u2028\u202eévil 😀\n";
    ObjectMapper mapper = new ObjectMapper(new JsonFactoryBuilder().characterEscapes(AuditText.jsonEscapes()).build());

    String json = mapper.writeValueAsString(Map.of("Action", value));

    assertThat(json).isEqualTo("{\"Action\":\"x\\u007F\\u0085\\u2028\\u202Eévil 😀\\n\"}");
    assertThat(new ObjectMapper().readTree(json).path("Action").asText()).isEqualTo(value);
  }
}
