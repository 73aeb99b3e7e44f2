package dev.wharf.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;

/**
 * A generic package version published with PublishPackageVersion, its asset sent at a set pace, so
 * that a test can stop or kill a server while the upload is in flight. java.net.http streams the body
 * as it is read (the SDK's URL-connection client would buffer it first).
 */
public final class TestingSlowUpload {
  private final byte[] content;
  private final int chunk;
  private final long pauseMillis;
  private final AtomicLong sent = new AtomicLong();

  /** Sends {@code chunk} bytes, then waits {@code pauseMillis}, until the content is sent. */
  public TestingSlowUpload(byte[] content, int chunk, long pauseMillis) {
    this.content = content.clone();
    this.chunk = chunk;
    this.pauseMillis = pauseMillis;
  }

  /** Bytes handed to the connection so far. */
  public long sent() {
    return sent.get();
  }

  /** Starts publishing generic package ns/NAME 1.0 with one asset holding the content; returns at once. */
  public CompletableFuture<HttpResponse<String>> publish(URI endpoint, AwsCredentials credentials, String domain,
      String repository, String name, String asset) {
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
        .uri(endpoint.resolve("/v1/package/version/publish?domain=" + domain + "&repository=" + repository
            + "&format=generic&namespace=ns&package=" + name + "&version=1.0&asset=" + asset + "&unfinished=false"))
        .putHeader("x-amz-content-sha256", sha256(content)).putHeader("Content-Type", "application/octet-stream").build();
    SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials).request(request)
        .payload(ContentStreamProvider.fromByteArray(content))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "codeartifact")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")).request();
    HttpRequest.Builder send = HttpRequest.newBuilder(signed.getUri()).POST(HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(Paced::new), content.length));
    signed.headers().forEach((header, values) -> {
      if (!header.equalsIgnoreCase("host") && !header.equalsIgnoreCase("content-length")) {
        values.forEach(value -> send.header(header, value));
      }
    });
    return HttpClient.newHttpClient().sendAsync(send.build(), HttpResponse.BodyHandlers.ofString());
  }

  public static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The content, a chunk at a time with a pause after each. */
  private final class Paced extends InputStream {
    private int position;

    @Override
    public int read() {
      return position < content.length ? content[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (position >= content.length) {
        return -1;
      }
      int n = Math.min(Math.min(length, chunk), content.length - position);
      System.arraycopy(content, position, buffer, offset, n);
      position += n;
      sent.addAndGet(n);
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      return n;
    }
  }
}
