package dev.wharf.api.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.wharf.api.aws.sigv4.VerifiedRequest;
import dev.wharf.api.http.Exchange;
import dev.wharf.api.http.FormEncoding;
import dev.wharf.audit.AuditEvent;
import dev.wharf.audit.AuditLog;
import dev.wharf.crypto.Sha256;
import dev.wharf.error.Unavailable;
import dev.wharf.error.WharfException;
import dev.wharf.metrics.RequestMeters;
import dev.wharf.metrics.RequestProtocol;
import dev.wharf.identity.Principal;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS's rest-json protocol as CodeArtifact speaks it: operations chosen by method and path,
 * members in the query string and a JSON body, SigV4-signed, errors named by the
 * {@code x-amzn-ErrorType} header with a JSON body.
 */
public final class RestJsonEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(RestJsonEndpoints.class);
  public static final int MAX_BODY_BYTES = 256 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String pathPrefix;
  private final String serviceName;
  private final AwsEndpointContext context;
  private final AwsAuthenticator authenticator;
  private final Map<String, RestOperation> operations = new HashMap<>();
  private final Map<String, RestOperation> byName = new HashMap<>();
  private final RequestMeters meters;

  /**
   * @param serviceName the service these endpoints serve (e.g. codeartifact): the signing name every request's
   *     credential scope must name, and the IAM service prefix of audit records when no action was resolved
   */
  public RestJsonEndpoints(String pathPrefix, String serviceName, AwsEndpointContext context,
      List<RestOperation> operations) {
    this.pathPrefix = Objects.requireNonNull(pathPrefix, "pathPrefix");
    this.serviceName = Objects.requireNonNull(serviceName, "serviceName");
    this.context = Objects.requireNonNull(context, "context");
    this.authenticator = context.authenticator();
    for (RestOperation operation : operations) {
      if (!operation.path().startsWith(pathPrefix)) {
        throw new IllegalStateException(operation.name() + " is outside " + pathPrefix);
      }
      if (this.operations.put(operation.method() + " " + operation.path(), operation) != null
          || byName.put(operation.name(), operation) != null) {
        throw new IllegalStateException("duplicate route for " + operation.name());
      }
    }
    this.meters = context.metrics().requests(RequestProtocol.AWS_REST, "none", byName.keySet());
  }

  /** Every registered operation (a test checks each declares its permission). */
  public Map<String, RestOperation> operations() {
    return Map.copyOf(operations);
  }

  public boolean accepts(Exchange exchange) {
    return exchange.rawPath().startsWith(pathPrefix);
  }

  public void handle(Exchange exchange) {
    AuditLog.Entry entry = context.beginAudit(exchange);
    dev.wharf.limits.RequestLimiter.Upload upload = null;
    try {
      RestOperation operation = operations.get(exchange.method() + " " + exchange.rawPath());
      exchange.meter(meters.operation(operation == null ? null : operation.name()));
      entry.action(serviceName + ":" + (operation == null ? "UnknownOperation" : operation.name()));
      byte[] body;
      VerifiedRequest<Principal> verified;
      StreamedPayload payload = null;
      if (operation != null && operation.payload() instanceof RestOperation.Payload.Streamed streamed) {
        body = new byte[0];
        StreamedAuthentication authenticated;
        try {
          authenticated = authenticateStreamed(exchange, streamed.maxBytes());
        } catch (WharfException.NotAuthenticated e) {
          context.admitUnsigned(exchange); // over the address's limit, the answer is ThrottlingException instead
          throw e;
        }
        verified = authenticated.verified();
        entry.principal(verified.principal());
        context.admitSigned(exchange, verified.accessKeyId(), verified.principal(), operation.name());
        // an upload holds a place among the uploads allowed at once until it is answered
        upload = context.limits().upload();
        if (authenticated.mismatch() != null) {
          throw new WharfException.Invalid("ValidationException", authenticated.mismatch());
        }
        payload = authenticated.payload();
      } else {
        body = exchange.readBody(MAX_BODY_BYTES);
        try {
          verified = authenticator.authenticate(exchange, Sha256.hex(body), AwsAuthenticator.Protocol.REST_JSON,
              serviceName);
        } catch (WharfException.NotAuthenticated e) {
          context.admitUnsigned(exchange);
          throw e;
        }
        context.admitSigned(exchange, verified.accessKeyId(), verified.principal(),
            operation == null ? null : operation.name());
      }
      entry.principal(verified.principal());
      if (operation == null) {
        sendError(exchange, 404, "UnknownOperationException",
            "No operation " + exchange.method() + " " + exchange.rawPath(), Map.of());
        entry.finish(AuditEvent.Outcome.FAILED, "UnknownOperationException");
        return;
      }
      Map<String, String> query = new LinkedHashMap<>();
      FormEncoding.decodeInto(exchange.rawQuery(), query, true);
      JsonNode json = parseBody(body);
      RestRequest request = new RestRequest(operation.name(), query, json, verified.principal(), verified.accessKeyId(),
          AwsEndpointContext.origin(exchange), exchange.requestId(), exchange.origin(), payload);
      authorize(operation, request, entry);
      Object result = operation.handler().handle(request);
      if (result instanceof StreamedResponse streamedResponse) {
        exchange.setHeader("x-amzn-RequestId", exchange.requestId());
        streamedResponse.headers().forEach(exchange::setHeader);
        exchange.stream(200, streamedResponse.contentType(), streamedResponse.length(), streamedResponse.content());
        entry.finish(AuditEvent.Outcome.ALLOWED, null);
        return;
      }
      byte[] out = result == null ? "{}".getBytes() : JSON.writeValueAsBytes(result);
      exchange.setHeader("x-amzn-RequestId", exchange.requestId());
      exchange.send(200, "application/json", out);
      entry.finish(AuditEvent.Outcome.ALLOWED, null);
    } catch (WharfException e) {
      AwsEndpointContext.finishWithError(entry, e, sendError(exchange, e));
    } catch (IOException e) {
      sendError(exchange, 400, "ValidationException", "The request body could not be read", Map.of("reason", "CANNOT_PARSE"));
      entry.finish(AuditEvent.Outcome.FAILED, "ValidationException");
    } catch (RuntimeException e) {
      java.util.Optional<Exchange.BodyReadException> unread = Exchange.BodyReadException.in(e);
      if (unread.isPresent()) {
        // the client stopped sending a streamed body: nothing was kept, and there may be no one to answer
        LOG.info("request {}: {}", exchange.requestId(), unread.get().getMessage());
        sendError(exchange, 400, "ValidationException", "The request body could not be read", Map.of("reason", "CANNOT_PARSE"));
        entry.finish(AuditEvent.Outcome.FAILED, "ValidationException");
        return;
      }
      java.util.Optional<Unavailable.Reason> reason = context.unavailable().report(exchange.requestId(), e);
      if (reason.isPresent()) {
        // CodeArtifact's model has no 503 or 507 error: its server fault, with the status that says what to do
        entry.finish(AuditEvent.Outcome.FAILED, "InternalServerException");
        exchange.drainBody(); // an upload cut short by a full disk: its client may still be sending
        sendError(exchange, reason.get().status(), "InternalServerException", reason.get().message(), Map.of());
        return;
      }
      entry.finish(AuditEvent.Outcome.FAILED, "InternalServerException");
      LOG.error("request {} failed", exchange.requestId(), e);
      sendError(exchange, 500, "InternalServerException", "An internal error occurred (request " + exchange.requestId() + ")",
          Map.of());
    } finally {
      if (upload != null) {
        upload.close();
      }
    }
  }

  /**
   * Runs an operation for a caller already authenticated by other means (a console session) along the
   * very path a signed request takes once its signature is checked: the operation's declared policy
   * check, its handler, and its audit entry. So the console can do and see nothing the API would not
   * let the same principal do.
   *
   * @param query the operation's query-string members, by wire name
   * @param body its JSON body, or null
   * @return what the handler returned (a Jackson node, a record or map, null, or a {@link StreamedResponse})
   * @throws WharfException as the API would answer it (the caller shows its message)
   */
  public Object call(String operationName, Map<String, String> query, JsonNode body, Caller caller) {
    RestOperation operation = byName.get(operationName);
    if (operation == null) {
      throw new IllegalArgumentException("no operation " + operationName);
    }
    if (operation.payload() instanceof RestOperation.Payload.Streamed) {
      throw new IllegalArgumentException(operationName + " streams its body, which a call cannot give");
    }
    AuditLog.Entry entry = context.audit().begin(caller::requestId, caller.origin().sourceIp());
    entry.action(serviceName + ":" + operation.name()).principal(caller.principal());
    try {
      RestRequest request = new RestRequest(operation.name(), query, body, caller.principal(), null, caller.origin(),
          caller.requestId(), caller.serverOrigin());
      authorize(operation, request, entry);
      Object result = operation.handler().handle(request);
      entry.finish(AuditEvent.Outcome.ALLOWED, null);
      return result;
    } catch (WharfException e) {
      AwsEndpointContext.finishWithError(entry, e, errorType(e, new LinkedHashMap<>()).type());
      throw e;
    } catch (RuntimeException e) {
      entry.finish(AuditEvent.Outcome.FAILED, "InternalServerException");
      throw e;
    }
  }

  /** Who signed a streamed request, its payload, or why its content does not match what it declared. */
  private record StreamedAuthentication(VerifiedRequest<Principal> verified, StreamedPayload payload, String mismatch) {}

  /**
   * Authenticates a request whose body is streamed to its handler. When {@code x-amz-content-sha256}
   * declares a SHA-256 (botocore signs that declaration as the payload hash), the signature is checked
   * over it before a byte of the body is read; the handler then stores the body only if it matches.
   * When that check fails, the signer may have signed the body's actual hash while the header
   * declares another (the Java SDK signs the body's hash, though it also rewrites the header to
   * match): the body is hashed while discarded, and a signature valid over that hash means an
   * authentic request whose content is not what it declared, refused as such.
   * A request that declares no SHA-256 is authenticated over the hash of its body, read and discarded,
   * so its handler sees an already consumed payload with no declared hash (and must refuse it).
   */
  private StreamedAuthentication authenticateStreamed(Exchange exchange, long maxBytes) throws IOException {
    String declared = exchange.header("x-amz-content-sha256");
    long length = exchange.contentLength();
    InputStream content = exchange.bodyStream();
    if (Sha256.isHex(declared)) {
      WharfException.NotAuthenticated failure;
      try {
        VerifiedRequest<Principal> verified = authenticator.authenticate(exchange, declared, AwsAuthenticator.Protocol.REST_JSON, serviceName);
        if (length > maxBytes) {
          throw new WharfException.TooLarge("The request body of " + length + " bytes exceeds the limit of " + maxBytes + " bytes");
        }
        return new StreamedAuthentication(verified, new StreamedPayload(content, declared, length), null);
      } catch (WharfException.NotAuthenticated e) {
        if (!"InvalidSignatureException".equals(e.code())) {
          throw e;
        }
        failure = e;
      }
      String actual = hashDiscarding(content, length, maxBytes);
      if (actual == null || actual.equals(declared)) {
        throw failure;
      }
      VerifiedRequest<Principal> verified;
      try {
        verified = authenticator.authenticate(exchange, actual, AwsAuthenticator.Protocol.REST_JSON, serviceName);
      } catch (WharfException.NotAuthenticated e) {
        throw failure;
      }
      return new StreamedAuthentication(verified, StreamedPayload.consumed(), "The SHA-256 of the content (" + actual
          + ") does not match the one declared in x-amz-content-sha256 (" + declared + ")");
    }
    String actual = hashDiscarding(content, length, maxBytes);
    if (actual == null) {
      throw new WharfException.TooLarge("The request body exceeds the limit of " + maxBytes + " bytes");
    }
    VerifiedRequest<Principal> verified;
    try {
      verified = authenticator.authenticate(exchange, actual, AwsAuthenticator.Protocol.REST_JSON, serviceName);
    } catch (WharfException.NotAuthenticated e) {
      if (declared == null || !"InvalidSignatureException".equals(e.code())) {
        throw e;
      }
      // e.g. UNSIGNED-PAYLOAD, signed as declared
      verified = authenticator.authenticate(exchange, null, AwsAuthenticator.Protocol.REST_JSON, serviceName);
    }
    return new StreamedAuthentication(verified, StreamedPayload.consumed(), null);
  }

  /** The SHA-256 of the body, read and discarded, or null when it is longer than maxBytes. */
  private static String hashDiscarding(InputStream content, long declaredLength, long maxBytes) throws IOException {
    return declaredLength > maxBytes ? null : Sha256.hex(content, maxBytes);
  }

  /** The body of a JSON operation: null when empty, else an object (package-private for its fuzz test). */
  static JsonNode parseBody(byte[] body) {
    if (body.length == 0) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node != null && !node.isObject()) {
        throw new WharfException.Invalid("ValidationException", "The request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new WharfException.Invalid("ValidationException", "The request body is not valid JSON");
    } catch (IOException e) {
      throw new WharfException.Invalid("ValidationException", "The request body could not be read");
    }
  }

  private void authorize(RestOperation operation, RestRequest request, AuditLog.Entry entry) {
    switch (operation.permission()) {
      case RestOperation.Permission.NoPolicyCheck none -> { }
      case RestOperation.Permission.PolicyAction policy -> {
        RestOperation.ProtectedResource resource = policy.resource().resolve(request);
        PolicyCheck.requireAll(context.permissions(), entry, request.principal(), request.origin(), policy.iamAction(),
            resource.alsoRequired(), resource.arn(), resource.accountId(), resource.policies(), resource.context());
      }
    }
  }

  /** Renders the error; returns the error type sent. */
  private static String sendError(Exchange exchange, WharfException e) {
    Map<String, String> extra = new LinkedHashMap<>();
    ErrorType error = errorType(e, extra);
    if (e instanceof WharfException.Throttled throttled) {
      // ThrottlingException's retryAfterSeconds member travels in this header (the model's location)
      exchange.setHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
      exchange.setHeader("x-amz-retry-after", Long.toString(throttled.retryAfterMillis()));
    }
    sendError(exchange, error.status(), error.type(), e.getMessage(), extra);
    return error.type();
  }

  /** The status and error type CodeArtifact answers the error with; adds its extra members to {@code extra}. */
  private static ErrorType errorType(WharfException e, Map<String, String> extra) {
    ErrorType error = switch (e) {
      case WharfException.Invalid invalid -> {
        extra.put("reason", e.getMessage() != null && e.getMessage().contains("not valid JSON") ? "CANNOT_PARSE"
            : "FIELD_VALIDATION_FAILED");
        yield new ErrorType(400, "ValidationException");
      }
      case WharfException.NotAuthenticated unauthenticated -> new ErrorType(403, unauthenticated.code());
      case WharfException.AccessDenied denied -> new ErrorType(403, "AccessDeniedException");
      case WharfException.NotFound notFound -> new ErrorType(404, "ResourceNotFoundException");
      case WharfException.Conflict conflict -> new ErrorType(409, "ConflictException");
      case WharfException.LimitExceeded limit -> new ErrorType(402, "ServiceQuotaExceededException");
      case WharfException.Throttled throttled -> new ErrorType(429, "ThrottlingException");
      case WharfException.TooLarge tooLarge -> {
        extra.put("reason", "OTHER");
        yield new ErrorType(413, "ValidationException");
      }
    };
    if (e instanceof WharfException.ResourceError resource) {
      putIfPresent(extra, "resourceId", resource.resourceId());
      putIfPresent(extra, "resourceType", resource.resourceType());
    }
    return error;
  }

  /** The HTTP status and {@code x-amzn-ErrorType} an error is answered with. */
  private record ErrorType(int status, String type) {}

  private static void putIfPresent(Map<String, String> map, String key, String value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  private static void sendError(Exchange exchange, int status, String type, String message, Map<String, String> extra) {
    ObjectNode body = JSON.createObjectNode().put("message", message);
    extra.forEach(body::put);
    exchange.setHeader("x-amzn-RequestId", exchange.requestId());
    exchange.setHeader("x-amzn-ErrorType", type);
    exchange.send(status, "application/json", body.toString());
  }
}
