package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RenderedMetadataTest {
  @Test
  void gzipIsAcceptedWhenNamedOrStarredWithAQualityAboveZero() {
    assertThat(RenderedMetadata.acceptsGzip("gzip, deflate, br")).isTrue();
    assertThat(RenderedMetadata.acceptsGzip("GZIP")).isTrue();
    assertThat(RenderedMetadata.acceptsGzip("x-gzip")).isTrue();
    assertThat(RenderedMetadata.acceptsGzip("br;q=1.0, gzip;q=0.5")).isTrue();
    assertThat(RenderedMetadata.acceptsGzip("*")).isTrue();
    assertThat(RenderedMetadata.acceptsGzip("gzip;q=0")).isFalse();
    assertThat(RenderedMetadata.acceptsGzip("gzip; q=0.000")).isFalse();
    assertThat(RenderedMetadata.acceptsGzip("*, gzip;q=0")).isFalse();
    assertThat(RenderedMetadata.acceptsGzip("identity")).isFalse();
    assertThat(RenderedMetadata.acceptsGzip("")).isFalse();
    assertThat(RenderedMetadata.acceptsGzip(null)).isFalse();
  }

  @Test
  void theETagNamesTheBytesAndTheWeightCountsThem() {
    RenderedMetadata one = RenderedMetadata.of("{\"a\":1}", Instant.EPOCH);
    assertThat(one.etag()).isEqualTo(RenderedMetadata.of("{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8), null)
        .etag()).matches("\"[0-9a-f]{32}\"");
    assertThat(one.etag()).isNotEqualTo(RenderedMetadata.of("{\"a\":2}", Instant.EPOCH).etag());
    assertThat(RenderedMetadata.of(new byte[4000], null).weight()).isEqualTo(5000);
  }

  @Test
  void ifNoneMatchMatchesAnyListedTagWeakOrStrongOrAStar() {
    assertThat(EntityTags.anyMatches("\"x\", W/\"y\"", "\"y\"")).isTrue();
    assertThat(EntityTags.anyMatches("*", "\"y\"")).isTrue();
    assertThat(EntityTags.anyMatches("\"x\"", "\"y\"", "\"z\"")).isFalse();
    assertThat(EntityTags.anyMatches(null, "\"y\"")).isFalse();
  }
}
