package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.zip.GZIPInputStream;

/**
 * Checks that a metadata document (packument, simple page, maven-metadata.xml) answers the way clients' caches
 * revalidate: a strong ETag and If-None-Match → 304, Last-Modified and If-Modified-Since → 304, gzip when
 * accepted (the same document once decompressed, under its own ETag), no-cache, and Vary: Accept-Encoding.
 */
public final class TestingRevalidation {

  private TestingRevalidation() {}

  /** GETs {@code url} with {@code authorization} and the extra headers (name, value, …). */
  public static HttpResponse<byte[]> get(String url, String authorization, String... headers) {
    return TestingHttp.send("GET", url, null, authorization, headers);
  }

  /**
   * Asserts the revalidation behaviour of the document at {@code url}, which must be at least 1 KB (so that it is
   * worth compressing); {@code headers} go with every request (e.g. an Accept). Returns its ETag.
   */
  public static String assertRevalidates(String url, String authorization, String... headers) {
    HttpResponse<byte[]> plain = get(url, authorization, headers);
    assertThat(plain.statusCode()).isEqualTo(200);
    assertThat(plain.body().length).as("a document worth compressing").isGreaterThanOrEqualTo(1024);
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(plain.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(plain.headers().allValues("Vary")).contains("Accept-Encoding");
    String etag = plain.headers().firstValue("ETag").orElseThrow();
    assertThat(etag).matches("\"[0-9a-f]{32}\"");

    HttpResponse<byte[]> unchanged = get(url, authorization, with(headers, "If-None-Match", etag));
    assertThat(unchanged.statusCode()).isEqualTo(304);
    assertThat(unchanged.body()).isEmpty();
    assertThat(unchanged.headers().firstValue("ETag")).hasValue(etag);
    assertThat(get(url, authorization, with(headers, "If-None-Match", "\"other\"")).statusCode()).isEqualTo(200);

    HttpResponse<byte[]> gzipped = get(url, authorization, with(headers, "Accept-Encoding", "gzip, deflate"));
    assertThat(gzipped.statusCode()).isEqualTo(200);
    assertThat(gzipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(gzipped.body().length).isLessThan(plain.body().length);
    assertThat(gunzip(gzipped.body())).isEqualTo(plain.body());
    String gzipTag = gzipped.headers().firstValue("ETag").orElseThrow();
    assertThat(gzipTag).isNotEqualTo(etag);
    assertThat(get(url, authorization, with(with(headers, "Accept-Encoding", "gzip"), "If-None-Match", gzipTag))
        .statusCode()).isEqualTo(304);
    assertThat(get(url, authorization, with(headers, "Accept-Encoding", "gzip;q=0")).headers()
        .firstValue("Content-Encoding")).isEmpty();

    plain.headers().firstValue("Last-Modified").ifPresent(lastModified -> {
      assertThat(get(url, authorization, with(headers, "If-Modified-Since", lastModified)).statusCode()).isEqualTo(304);
      String before = DateTimeFormatter.RFC_1123_DATE_TIME.format(
          ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).minusHours(1));
      assertThat(get(url, authorization, with(headers, "If-Modified-Since", before)).statusCode()).isEqualTo(200);
      assertThat(get(url, authorization, with(headers, "If-Modified-Since", "yesterday")).statusCode()).isEqualTo(200);
    });
    return etag;
  }

  private static String[] with(String[] headers, String name, String value) {
    String[] more = java.util.Arrays.copyOf(headers, headers.length + 2);
    more[headers.length] = name;
    more[headers.length + 1] = value;
    return more;
  }

  private static byte[] gunzip(byte[] compressed) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
