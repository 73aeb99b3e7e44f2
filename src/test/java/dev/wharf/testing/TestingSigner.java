package dev.wharf.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Raw HTTP to a test server, signed with the AWS SDK's own SigV4 signer at a chosen time, or not
 * signed at all: for what an SDK client would never send (skewed clocks, presigned URLs, garbled
 * headers, malformed bodies). Requests go out with java.net.http exactly as built here.
 */
public final class TestingSigner {
  /** Headers java.net.http sets itself; the signer's host matches what it sends. */
  private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private final URI endpoint;
  private final Clock clock;
  private final HttpClient http;

  public TestingSigner(URI endpoint, Clock clock) {
    this(endpoint, clock, HTTP);
  }

  /** A signer that sends with {@code http} (e.g. one bound to another local address, or trusting a test CA). */
  public TestingSigner(URI endpoint, Clock clock, HttpClient http) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.http = Objects.requireNonNull(http, "http");
  }

  /** A form-encoded query-protocol POST to "/" (the way IAM, STS and Wharf's admin actions are called). */
  public Request form(String encodedForm) {
    return new Request("POST", "/", null).body("application/x-www-form-urlencoded; charset=utf-8",
        encodedForm.getBytes(StandardCharsets.UTF_8));
  }

  /** A GET of "/" with the given raw (already encoded) query. */
  public Request get(String rawQuery) {
    return new Request("GET", "/", rawQuery);
  }

  /** Any method and path (e.g. a rest-json call), with the given raw (already encoded) query or null. */
  public Request request(String method, String path, String rawQuery) {
    return new Request(method, path, rawQuery);
  }

  /** One request being built; immutable-ish, each call returns this. */
  public final class Request {
    private final String method;
    private final String path;
    private final String rawQuery;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private byte[] body = new byte[0];
    private String region = "us-east-1";

    private Request(String method, String path, String rawQuery) {
      this.method = method;
      this.path = path;
      this.rawQuery = rawQuery;
    }

    public Request body(String contentType, byte[] content) {
      if (contentType != null) {
        headers.put("Content-Type", contentType);
      }
      this.body = content;
      return this;
    }

    /** Signs for this region (the credential scope's region) instead of us-east-1. */
    public Request region(String signingRegion) {
      this.region = signingRegion;
      return this;
    }

    public Request header(String name, String value) {
      headers.put(name, value);
      return this;
    }

    /** Sends it without any signature. */
    public Response unsigned() {
      return send(uri(rawQuery), headers);
    }

    /** Signs it (Authorization header) at the server's clock time and sends it. */
    public Response signed(AwsCredentials credentials, String service) {
      return signedAt(credentials, service, clock.instant());
    }

    /** Signs it (Authorization header) as if at the given time and sends it. */
    public Response signedAt(AwsCredentials credentials, String service, Instant at) {
      SdkHttpRequest signed = sign(credentials, service, at, null);
      Map<String, String> sent = new LinkedHashMap<>();
      signed.forEachHeader((name, values) -> sent.put(name, String.join(",", values)));
      return send(signed.getUri(), sent);
    }

    /** Signs it with the Authorization header, then lets the test rewrite that header before sending. */
    public Response signedWithAuthorization(AwsCredentials credentials, String service,
        java.util.function.UnaryOperator<String> rewrite) {
      SdkHttpRequest signed = sign(credentials, service, clock.instant(), null);
      Map<String, String> sent = new LinkedHashMap<>();
      signed.forEachHeader((name, values) -> sent.put(name, String.join(",", values)));
      sent.put("Authorization", rewrite.apply(sent.get("Authorization")));
      return send(signed.getUri(), sent);
    }

    /** A presigned URL (X-Amz-* query parameters) made at the given time, valid for the given time. */
    public URI presignedAt(AwsCredentials credentials, String service, Instant at, Duration validFor) {
      return sign(credentials, service, at, validFor).getUri();
    }

    /** Sends a GET of the presigned URL with this request's headers (e.g. x-k8s-aws-id). */
    public Response sendPresigned(URI presigned) {
      return send(presigned, headers);
    }

    private SdkHttpRequest sign(AwsCredentials credentials, String service, Instant at, Duration presignedFor) {
      SdkHttpFullRequest.Builder builder = SdkHttpFullRequest.builder()
          .method(SdkHttpMethod.fromValue(method))
          .uri(uri(rawQuery));
      headers.forEach(builder::putHeader);
      if (body.length > 0) {
        builder.contentStreamProvider(ContentStreamProvider.fromByteArray(body));
      }
      SdkHttpFullRequest request = builder.build();
      SignedRequest signed = AwsV4HttpSigner.create().sign(r -> {
        r.request(request)
            .identity(credentials)
            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(at, ZoneOffset.UTC));
        request.contentStreamProvider().ifPresent(r::payload);
        if (presignedFor != null) {
          r.putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
              .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, presignedFor);
        }
      });
      return signed.request();
    }

    private URI uri(String query) {
      return URI.create(endpoint + path + (query == null ? "" : "?" + query));
    }

    private Response send(URI uri, Map<String, String> sentHeaders) {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
          .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
      sentHeaders.forEach((name, value) -> {
        if (!RESTRICTED.contains(name.toLowerCase(java.util.Locale.ROOT))) {
          request.header(name, value);
        }
      });
      try {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().map(), response.body());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** What came back: status, headers and the body as text. */
  public record Response(int status, Map<String, List<String>> headers, String body) {
    public Optional<String> header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream()).findFirst();
    }

    /** The text of the first element with this local name, if the body is XML that has one. */
    public Optional<String> xmlText(String localName) {
      NodeList nodes = document().getElementsByTagNameNS("*", localName);
      return nodes.getLength() == 0 ? Optional.empty() : Optional.of(nodes.item(0).getTextContent());
    }

    /**
     * Each {@code member} element of the XML body (a query-protocol list), as the text of the first element
     * under it with each of these local names (null where it has none).
     */
    public List<Map<String, String>> members(String... fields) {
      NodeList nodes = document().getElementsByTagNameNS("*", "member");
      List<Map<String, String>> members = new ArrayList<>();
      for (int i = 0; i < nodes.getLength(); i++) {
        Element member = (Element) nodes.item(i);
        Map<String, String> values = new HashMap<>();
        for (String field : fields) {
          NodeList found = member.getElementsByTagNameNS("*", field);
          values.put(field, found.getLength() == 0 ? null : found.item(0).getTextContent());
        }
        members.add(values);
      }
      return members;
    }

    /**
     * The body read as AWS's query-protocol error,
     * {@code <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>};
     * throws when the body has any other shape.
     */
    public AwsError error() {
      Element root = document().getDocumentElement();
      if (!"ErrorResponse".equals(root.getLocalName())) {
        throw new AssertionError("not an ErrorResponse: " + body);
      }
      Element error = only(root, "Error");
      return new AwsError(only(error, "Type").getTextContent(), only(error, "Code").getTextContent(),
          only(error, "Message").getTextContent(), only(root, "RequestId").getTextContent());
    }

    private Element only(Element parent, String localName) {
      Element found = null;
      for (var child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
        if (child instanceof Element element && localName.equals(element.getLocalName())) {
          if (found != null) {
            throw new AssertionError("more than one " + localName + " in " + body);
          }
          found = element;
        }
      }
      if (found == null) {
        throw new AssertionError("no " + localName + " in " + body);
      }
      return found;
    }

    private Document document() {
      try {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
      } catch (Exception e) {
        throw new AssertionError("body is not XML (status " + status + "): " + body, e);
      }
    }
  }

  /** An AWS query-protocol error body. */
  public record AwsError(String type, String code, String message, String requestId) {}
}
