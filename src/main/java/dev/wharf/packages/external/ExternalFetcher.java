package dev.wharf.packages.external;

import dev.wharf.error.Unavailable;
import dev.wharf.packages.UpstreamUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * GETs from external connections' upstreams with java.net.http: a connect timeout, a deadline for
 * the whole response (so a slow upstream never holds a client), and a size limit enforced while
 * the body arrives (a huge answer is cut off, never buffered). Every failure is an
 * {@link UpstreamUnavailableException} naming the upstream, but a local disk too full to take the
 * file (an {@link java.io.UncheckedIOException}, answered 507 by {@link Unavailable}). Credentials
 * in a URL's user-info are sent as HTTP Basic and never appear in messages.
 */
public final class ExternalFetcher {
  /** What a GET found: the body, or nothing (404/410). */
  public record Fetched<T>(int status, T body) {}

  private final HttpClient client;
  private final Duration timeout;

  public ExternalFetcher(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
  }

  /**
   * A metadata document of at most {@code maxBytes} (as it arrives, and again once inflated when the
   * upstream sends it gzip-encoded, as nuget.org's registrations always are); empty when the upstream
   * says it does not have it.
   */
  public java.util.Optional<byte[]> metadata(URI uri, String accept, long maxBytes) {
    return get(uri, accept, maxBytes, timeout, info -> info.headers().firstValue("Content-Encoding")
        .filter(encoding -> encoding.strip().equalsIgnoreCase("gzip")).isPresent()
            ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(),
                body -> gunzip(body, maxBytes))
            : HttpResponse.BodySubscribers.ofByteArray(), "gzip");
  }

  /** A file of at most {@code maxBytes}, written to {@code target}; empty when the upstream does not have it. */
  public java.util.Optional<Path> file(URI uri, long maxBytes, Path target) {
    return get(uri, "*/*", maxBytes, timeout.multipliedBy(20), info -> HttpResponse.BodySubscribers.ofFile(target),
        "identity");
  }

  /** A gzip body inflated, up to {@code maxBytes}. */
  private static byte[] gunzip(byte[] body, long maxBytes) {
    try (java.io.InputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
      byte[] inflated = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (inflated.length > maxBytes) {
        throw new java.io.UncheckedIOException(new TooLarge());
      }
      return inflated;
    } catch (TooLarge e) {
      throw new java.io.UncheckedIOException(e);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(new NotInflatable(e));
    }
  }

  private <T> java.util.Optional<T> get(URI uri, String accept, long maxBytes, Duration deadline,
      java.util.function.Function<HttpResponse.ResponseInfo, HttpResponse.BodySubscriber<T>> sink,
      String acceptEncoding) {
    String shown = display(uri);
    HttpRequest.Builder request = HttpRequest.newBuilder(withoutUserInfo(uri)).timeout(timeout).header("Accept", accept)
        .header("Accept-Encoding", acceptEncoding).header("User-Agent", "wharf").GET();
    if (uri.getRawUserInfo() != null) {
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
          java.net.URLDecoder.decode(uri.getRawUserInfo(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)));
    }
    CompletableFuture<HttpResponse<T>> future = client.sendAsync(request.build(), info -> info.statusCode() == 200
        ? new Limited<>(sink.apply(info), maxBytes) : HttpResponse.BodySubscribers.replacing(null));
    HttpResponse<T> response;
    try {
      response = future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new UpstreamUnavailableException("The upstream " + shown + " did not answer within " + deadline.toSeconds()
          + " s");
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new UpstreamUnavailableException("Interrupted while fetching from the upstream " + shown);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause != null && !(cause instanceof TooLarge) && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (e.getCause() instanceof java.net.http.HttpConnectTimeoutException) {
        throw new UpstreamUnavailableException("The upstream " + shown + " could not be connected to within "
            + timeout.toSeconds() + " s");
      }
      if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
        throw new UpstreamUnavailableException("The upstream " + shown + " did not answer within " + timeout.toSeconds()
            + " s");
      }
      if (cause instanceof TooLarge) {
        throw new UpstreamUnavailableException("The upstream " + shown + " sent more than the limit of " + maxBytes
            + " bytes");
      }
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof NotInflatable) {
          throw new UpstreamUnavailableException("The upstream " + shown + " sent a gzip body that does not inflate");
        }
      }
      // the file could not be written here: this disk's failure (507), not the upstream's
      for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
        if (t instanceof IOException local && Unavailable.LOCAL_DISK_FULL.matches().test(local)) {
          throw new java.io.UncheckedIOException(local);
        }
      }
      throw new UpstreamUnavailableException("The upstream " + shown + " could not be reached: "
          + (e.getCause() instanceof IOException io ? io.getClass().getSimpleName() + " " + io.getMessage() : e.getMessage()));
    }
    int status = response.statusCode();
    if (status == 404 || status == 410) {
      return java.util.Optional.empty();
    }
    if (status != 200) {
      throw new UpstreamUnavailableException("The upstream " + shown + " answered HTTP " + status);
    }
    return java.util.Optional.of(response.body());
  }

  /** The URL as messages show it: without user-info or query. */
  public static String display(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    return URI.create(uri.toString().replaceFirst("//[^@/]*@", "//"));
  }

  private static final class NotInflatable extends IOException {
    private static final long serialVersionUID = 1L;

    NotInflatable(IOException cause) {
      super("a gzip body that does not inflate", cause);
    }
  }

  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("response too large");
    }
  }

  /** Passes the body on until more than {@code max} bytes arrived, then cancels and fails. */
  private static final class Limited<T> implements HttpResponse.BodySubscriber<T> {
    private final HttpResponse.BodySubscriber<T> inner;
    private final long max;
    private long seen;
    private boolean failed;
    private Flow.Subscription subscription;

    Limited(HttpResponse.BodySubscriber<T> inner, long max) {
      this.inner = inner;
      this.max = max;
    }

    @Override
    public CompletionStage<T> getBody() {
      return inner.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      inner.onSubscribe(subscription);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      if (failed) {
        return;
      }
      for (ByteBuffer item : items) {
        seen += item.remaining();
      }
      if (seen > max) {
        failed = true;
        subscription.cancel();
        inner.onError(new TooLarge());
        return;
      }
      inner.onNext(items);
    }

    @Override
    public void onError(Throwable throwable) {
      if (!failed) {
        inner.onError(throwable);
      }
    }

    @Override
    public void onComplete() {
      if (!failed) {
        inner.onComplete();
      }
    }
  }
}
