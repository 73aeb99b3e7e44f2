package dev.wharf.format;

import dev.wharf.api.http.Exchange;
import dev.wharf.crypto.Sha256;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.zip.GZIPOutputStream;

/**
 * A rendered metadata document (an npm packument, a PyPI simple page, a maven-metadata.xml) and the one way
 * every format answers with one: a strong ETag from its bytes ({@code If-None-Match} → 304), its
 * {@code Last-Modified} when the format knows it ({@code If-Modified-Since} → 304 when no ETag is asked
 * about), gzip when the client accepts it (compressed once per rendering and kept with it), and
 * {@code no-cache}, so that clients keep a copy and revalidate it on each use.
 */
public final class RenderedMetadata {
  /** Smaller documents are sent as they are: gzip would save less than its own overhead. */
  static final int GZIP_MIN_BYTES = 1024;

  private final byte[] body;
  private final String tag;
  private final Instant lastModified;
  /** The Last-Modified header's value, formatted once per rendering (null when unknown). */
  private final String lastModifiedHeader;
  private volatile byte[] gzipped;
  /** Whether a gzip'd representation is offered (not for documents whose ETag clients check against the bytes). */
  private final boolean gzipOffered;

  private RenderedMetadata(byte[] body, Instant lastModified, String tag, boolean gzipOffered) {
    this.body = body;
    this.tag = tag;
    this.gzipOffered = gzipOffered;
    this.lastModified = lastModified == null ? null : lastModified.truncatedTo(ChronoUnit.SECONDS);
    this.lastModifiedHeader = this.lastModified == null ? null
        : DateTimeFormatter.RFC_1123_DATE_TIME.format(this.lastModified.atOffset(ZoneOffset.UTC));
  }

  /** A document whose last change is {@code lastModified} (null when unknown). */
  public static RenderedMetadata of(byte[] body, Instant lastModified) {
    return new RenderedMetadata(body.clone(), lastModified, Sha256.hex(body).substring(0, 32), true);
  }

  public static RenderedMetadata of(String body, Instant lastModified) {
    return of(body.getBytes(StandardCharsets.UTF_8), lastModified);
  }

  /**
   * A document of RubyGems' compact index: its ETag is the MD5 of its bytes, which bundler checks
   * against what it received (after its HTTP client inflated it), so it is sent as it is, never gzip'd.
   */
  public static RenderedMetadata md5Tagged(String body, Instant lastModified) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    try {
      return new RenderedMetadata(bytes, lastModified,
          java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes)), false);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** When the document last changed, or null when unknown. */
  public Instant lastModified() {
    return lastModified;
  }

  /** The document's bytes, uncompressed (a copy). */
  public byte[] body() {
    return body.clone();
  }

  /** About the bytes it holds: the document, and room for its gzip'd form (typically a fifth of it or less). */
  int weight() {
    return body.length + body.length / 4;
  }

  /** The ETag's value without quotes: the MD5 of a {@link #md5Tagged} document. */
  public String tag() {
    return tag;
  }

  /** The strong ETag of the uncompressed document. */
  public String etag() {
    return "\"" + tag + "\"";
  }

  /** Answers 200 with the document, or 304 when the client's copy is current. */
  public void send(Exchange exchange, String contentType) {
    boolean gzip = gzipOffered && body.length >= GZIP_MIN_BYTES && acceptsGzip(exchange.header("Accept-Encoding"));
    // A representation's strong ETag names its bytes: the gzip'd one has its own.
    String etag = gzip ? "\"" + tag + "-gzip\"" : etag();
    exchange.addHeader("Vary", "Accept-Encoding");
    exchange.setHeader("ETag", etag);
    exchange.setHeader("Cache-Control", "no-cache");
    if (lastModifiedHeader != null) {
      exchange.setHeader("Last-Modified", lastModifiedHeader);
    }
    if (notModified(exchange)) {
      exchange.send(304, null, new byte[0]);
      return;
    }
    if (gzip) {
      exchange.setHeader("Content-Encoding", "gzip");
      exchange.send(200, contentType, gzipped());
    } else {
      exchange.send(200, contentType, body);
    }
  }

  private boolean notModified(Exchange exchange) {
    String ifNoneMatch = exchange.header("If-None-Match");
    if (ifNoneMatch != null) { // RFC 9110 13.1.3: when both are sent, If-Modified-Since is ignored
      return EntityTags.anyMatches(ifNoneMatch, etag(), "\"" + tag + "-gzip\"");
    }
    String ifModifiedSince = exchange.header("If-Modified-Since");
    if (ifModifiedSince == null || lastModified == null) {
      return false;
    }
    try {
      Instant since = ZonedDateTime.parse(ifModifiedSince.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return !lastModified.isAfter(since);
    } catch (DateTimeParseException e) {
      return false; // an invalid date is ignored (RFC 9110 13.1.3)
    }
  }

  private byte[] gzipped() {
    byte[] compressed = gzipped;
    if (compressed == null) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
      try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
        gzip.write(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      compressed = out.toByteArray();
      gzipped = compressed;
    }
    return compressed;
  }

  /** Whether an Accept-Encoding header admits gzip: named (or as x-gzip), else {@code *}, with a q-value above 0. */
  static boolean acceptsGzip(String acceptEncoding) {
    AcceptHeader codings = AcceptHeader.parse(acceptEncoding);
    for (AcceptHeader.Range coding : codings.ranges()) {
      if (coding.type().equals("gzip") || coding.type().equals("x-gzip")) {
        return coding.quality() > 0;
      }
    }
    return codings.accepts("*");
  }
}
