package dev.wharf.format;

import dev.wharf.api.http.DownloadHeaders;
import dev.wharf.api.http.Exchange;
import dev.wharf.blob.BlobReader;
import dev.wharf.error.WharfException;
import dev.wharf.packages.PackageAsset;
import dev.wharf.packages.PackageService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way a package file is served, in every format: streamed from the blob store (never held
 * whole), with its SHA-256 as a strong ETag ({@code If-None-Match} answers 304), HEAD answered with
 * the headers only, one byte range ({@code Range: bytes=...}, with {@code If-Range}) answered 206,
 * and a blob that is missing answered 404 (and logged), like a file that does not exist. A file is
 * always a download that no browser runs ({@link DownloadHeaders}), whatever its type.
 */
public final class AssetDownloads {
  private static final Logger LOG = LoggerFactory.getLogger(AssetDownloads.class);
  /** Package files never change once published. */
  public static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

  private final PackageService packages;

  public AssetDownloads(PackageService packages) {
    this.packages = Objects.requireNonNull(packages, "packages");
  }

  /** Serves {@code asset} with {@link #IMMUTABLE} caching. */
  public void send(Exchange exchange, PackageAsset asset, String contentType) {
    send(exchange, asset, contentType, Map.of());
  }

  /** Serves {@code asset}, with {@code headers} (a format's own, e.g. Maven's checksums) on every answer. */
  public void send(Exchange exchange, PackageAsset asset, String contentType, Map<String, String> headers) {
    String etag = "\"" + asset.sha256() + "\"";
    exchange.setHeader("ETag", etag);
    exchange.setHeader("Cache-Control", IMMUTABLE);
    exchange.setHeader("Accept-Ranges", "bytes");
    headers.forEach(exchange::setHeader);
    if (EntityTags.anyMatches(exchange.header("If-None-Match"), etag)) {
      exchange.send(304, null, new byte[0]);
      return;
    }
    BlobReader content = packages.openReader(asset).orElseThrow(() -> {
      LOG.error("blob {} of asset {} is missing", asset.sha256(), asset.name());
      return new WharfException.NotFound(null, "Not found: " + asset.name());
    });
    DownloadHeaders.forFile(asset.name()).forEach(exchange::setHeader);
    String range = exchange.header("Range");
    String ifRange = exchange.header("If-Range");
    try {
      long[] span = range == null || (ifRange != null && !ifRange.trim().equals(etag)) ? null : span(range, asset.size());
      if (span == null) { // no range, or not one byte range: the whole file, as if there were none
        send(exchange, 200, contentType, content, 0, asset.size());
      } else if (span.length == 0) {
        content.close();
        exchange.setHeader("Content-Range", "bytes */" + asset.size());
        exchange.send(416, "text/plain; charset=utf-8", "Range not satisfiable: the file has " + asset.size()
            + " bytes\n");
      } else {
        exchange.setHeader("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + asset.size());
        send(exchange, 206, contentType, content, span[0], span[1] - span[0] + 1);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void send(Exchange exchange, int status, String contentType, BlobReader content, long offset,
      long length) throws IOException {
    try {
      switch (content) {
        case BlobReader.Mapped file -> exchange.send(status, contentType, file.slice(offset, length));
        case BlobReader.Channel file -> exchange.stream(status, contentType, length, file.channel(), offset);
        case BlobReader.Stream stream -> {
          stream.stream().skipNBytes(offset);
          exchange.stream(status, contentType, length, stream.stream());
        }
      }
    } catch (IOException | RuntimeException e) {
      content.close();
      throw e;
    }
  }

  /**
   * The first and last byte of one range over a file of {@code size} bytes; an empty array when it
   * cannot be satisfied; null when the header is not a single byte range (it is then ignored).
   */
  static long[] span(String header, long size) {
    Matcher m = RANGE.matcher(header.trim());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return null;
    }
    try {
      if (m.group(1).isEmpty()) { // the last N bytes
        long suffix = Long.parseLong(m.group(2));
        return suffix == 0 || size == 0 ? new long[0] : new long[] {Math.max(0, size - suffix), size - 1};
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
        return null; // syntactically invalid: ignored
      }
      return first >= size ? new long[0] : new long[] {first, last};
    } catch (NumberFormatException tooLarge) {
      return null;
    }
  }
}
