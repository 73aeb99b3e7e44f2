package dev.wharf.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/** The CLI's own client of the server: requests signed by the AWS SDK's SigV4 signer, credentials from the AWS chain. */
final class ApiClient {
  private static final List<String> UNSENDABLE_HEADERS = List.of("host", "content-length");
  /** The version of Wharf's own query API (service {@code wharf}) this CLI speaks. */
  static final String WHARF_API_VERSION = "2026-11-25";

  private final URI endpoint;
  private final AwsCredentialsProvider credentials;
  private final String region;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  ApiClient(URI endpoint, AwsCredentialsProvider credentials, String region) {
    this.endpoint = endpoint;
    this.credentials = credentials;
    this.region = region;
  }

  /** The reply of a query-protocol call: either values by element name, or an error code and message. */
  record QueryResult(boolean ok, Document document, String errorCode, String errorMessage) {
    String value(String element) {
      NodeList nodes = document.getElementsByTagName(element);
      return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
    }

    /** Prints the error the way every command does, {@code wharf: <Code>: <message>}, and returns the exit code 1. */
    int reportError(PrintStream err) {
      err.println("wharf: " + errorCode + ": " + errorMessage);
      return 1;
    }
  }

  /** Calls an action of Wharf's own API that takes no parameters. */
  QueryResult wharf(String action) throws IOException, InterruptedException {
    return wharf(action, Map.of());
  }

  /**
   * Calls an action of Wharf's own API (service {@code wharf}): its Action and Version, then the
   * action's parameters in their order; a parameter whose value is null is not sent.
   */
  QueryResult wharf(String action, Map<String, String> parameters) throws IOException, InterruptedException {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("Action", action);
    form.put("Version", WHARF_API_VERSION);
    parameters.forEach((name, value) -> {
      if (value != null) {
        form.put(name, value);
      }
    });
    return query("wharf", form);
  }

  QueryResult query(String service, Map<String, String> parameters) throws IOException, InterruptedException {
    String body = parameters.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    URI uri = endpoint.resolve("/");
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
        .putHeader("Content-Type", "application/x-www-form-urlencoded; charset=utf-8").build();
    AwsCredentials identity = credentials.resolveCredentials();
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(request)
        .payload(ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpRequest.Builder send = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    signed.request().headers().forEach((name, values) -> {
      if (!UNSENDABLE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        values.forEach(value -> send.header(name, value));
      }
    });
    HttpResponse<byte[]> response = http.send(send.build(), HttpResponse.BodyHandlers.ofByteArray());
    Document document;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body()));
    } catch (Exception e) {
      return new QueryResult(false, null, "HTTP " + response.statusCode(), "unexpected reply from " + uri);
    }
    if (response.statusCode() != 200) {
      QueryResult partial = new QueryResult(false, document, null, null);
      return new QueryResult(false, document, partial.value("Code"), partial.value("Message"));
    }
    return new QueryResult(true, document, null, null);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
