package dev.wharf.api.aws;

import dev.wharf.api.aws.sigv4.VerifiedRequest;
import dev.wharf.api.http.Exchange;
import dev.wharf.audit.AuditEvent;
import dev.wharf.audit.AuditLog;
import dev.wharf.error.Unavailable;
import dev.wharf.crypto.Sha256;
import dev.wharf.error.WharfException;
import dev.wharf.identity.PermissionService;
import dev.wharf.identity.Principal;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS's query protocol (IAM, STS and Wharf's own admin actions): form-encoded parameters with an
 * {@code Action}, SigV4-signed, answered in XML. The service is the one named in the signature's
 * credential scope, as every AWS endpoint is reached with its own signing name.
 */
public final class AwsQueryEndpoints {
  private static final Logger LOG = LoggerFactory.getLogger(AwsQueryEndpoints.class);
  /** Largest query-protocol request accepted; policy documents are the biggest parameters (≤ 10 KiB). */
  public static final int MAX_BODY_BYTES = 256 * 1024;

  private static final Map<String, String> NAMESPACES = Map.of(
      "iam", "https://iam.amazonaws.com/doc/2010-05-08/",
      "sts", "https://sts.amazonaws.com/doc/2011-06-15/",
      "wharf", "https://wharf.dev/doc/2026-11-25/");

  private final AwsAuthenticator authenticator;
  private final PermissionService permissions;
  private final AuditLog audit;
  private final Unavailable unavailable;
  private final Map<String, QueryOperation> operations = new HashMap<>();

  public AwsQueryEndpoints(AwsAuthenticator authenticator, PermissionService permissions, AuditLog audit,
      Unavailable unavailable, List<QueryOperation> operations) {
    this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
    this.permissions = Objects.requireNonNull(permissions, "permissions");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.unavailable = Objects.requireNonNull(unavailable, "unavailable");
    for (QueryOperation operation : operations) {
      if (this.operations.put(key(operation.service(), operation.action()), operation) != null) {
        throw new IllegalStateException("duplicate operation " + operation.service() + ":" + operation.action());
      }
    }
  }

  private static String key(String service, String action) {
    return service + ":" + action;
  }

  /** Every registered operation (a test checks each declares its permission). */
  public Map<String, QueryOperation> operations() {
    return Map.copyOf(operations);
  }

  /** True when the request looks like a query-protocol call: POST form or GET with Action. */
  public static boolean accepts(Exchange exchange) {
    if (!"/".equals(exchange.rawPath())) {
      return false;
    }
    if ("POST".equals(exchange.method())) {
      return true;
    }
    String query = exchange.rawQuery();
    return "GET".equals(exchange.method()) && query != null && query.contains("Action=");
  }

  public void handle(Exchange exchange) {
    String service = "sts";
    AuditLog.Entry entry = audit.begin(exchange.requestId(), exchange.remoteAddress());
    try {
      byte[] body = "POST".equals(exchange.method()) ? exchange.readBody(MAX_BODY_BYTES) : new byte[0];
      service = scopeService(exchange);
      Map<String, String> parameters = parameters(exchange, body);
      String action = parameters.get("Action");
      // An unsigned operation (AssumeRoleWithWebIdentity) carries its own proof; a signature on it is ignored, as AWS does.
      QueryOperation operation = operations.get(key(service, action));
      Principal principal = null;
      String accessKeyId = null;
      if (operation == null || !(operation.permission() instanceof QueryOperation.Permission.Unsigned)) {
        VerifiedRequest<Principal> verified =
            authenticator.authenticate(exchange, Sha256.hex(body), AwsAuthenticator.Protocol.QUERY);
        service = verified.service();
        principal = verified.principal();
        accessKeyId = verified.accessKeyId();
        entry.principal(principal);
        operation = operations.get(key(service, action));
      }
      entry.action(service + ":" + action);
      if (action == null || action.isEmpty()) {
        throw new WharfException.Invalid("MissingAction", "Missing Action");
      }
      if (operation == null) {
        throw new WharfException.Invalid("InvalidAction", "Could not find operation " + action + " for service " + service);
      }
      var origin = new PermissionService.RequestOrigin(exchange.remoteAddress(), exchange.isSecure());
      QueryRequest request = new QueryRequest(service, action, Map.copyOf(parameters), principal, accessKeyId, origin,
          exchange.requestId());
      authorize(operation, request, entry);
      XmlBuilder result = new XmlBuilder();
      operation.handler().handle(request, result);
      exchange.setHeader("x-amzn-RequestId", exchange.requestId());
      exchange.send(200, "text/xml", response(service, action, result, exchange.requestId()));
      entry.finish(AuditEvent.Outcome.ALLOWED, null);
    } catch (WharfException e) {
      String code = sendError(exchange, service, e);
      entry.finish(e instanceof WharfException.AccessDenied || e instanceof WharfException.NotAuthenticated
          ? AuditEvent.Outcome.DENIED : AuditEvent.Outcome.FAILED, code);
    } catch (IOException e) {
      sendError(exchange, service, new WharfException.Invalid("MalformedQueryString", "The request body could not be read"));
      entry.finish(AuditEvent.Outcome.FAILED, "MalformedQueryString");
    } catch (RuntimeException e) {
      java.util.Optional<String> reason = unavailable.reason(e);
      if (reason.isPresent()) {
        LOG.warn("request {}: {}: {}", exchange.requestId(), reason.get(), e.toString());
        entry.finish(AuditEvent.Outcome.FAILED, "ServiceUnavailable");
        exchange.setHeader("x-amzn-RequestId", exchange.requestId());
        exchange.send(503, "text/xml", error(service, "ServiceUnavailable", "Receiver", reason.get(),
            exchange.requestId()));
        return;
      }
      entry.finish(AuditEvent.Outcome.FAILED, "ServiceFailure");
      LOG.error("request {} failed", exchange.requestId(), e);
      exchange.setHeader("x-amzn-RequestId", exchange.requestId());
      exchange.send(500, "text/xml", error(service, "ServiceFailure", "Receiver",
          "An internal error occurred (request " + exchange.requestId() + ")", exchange.requestId()));
    }
  }

  private void authorize(QueryOperation operation, QueryRequest request, AuditLog.Entry entry) {
    refuseForTemporaryUsers(request);
    switch (operation.permission()) {
      case QueryOperation.Permission.NoPolicyCheck none -> { }
      case QueryOperation.Permission.Unsigned unsigned -> { }
      case QueryOperation.Permission.PolicyAction policy -> {
        QueryOperation.Resource resource = policy.resource().resolve(request);
        PolicyCheck.require(permissions, entry, request.principal(), request.origin(), policy.iamAction(),
            resource.arn(), resource.accountId(), List.of(), resource.context());
      }
    }
  }

  /**
   * What AWS refuses to GetSessionToken and GetFederationToken credentials, whatever their policies say: IAM
   * (Wharf has no MFA, which AWS would require), and STS beyond AssumeRole (session tokens) or
   * GetCallerIdentity.
   */
  private static void refuseForTemporaryUsers(QueryRequest request) {
    String caller = switch (request.principal()) {
      case null -> null;
      case Principal.User user when user.session() != null -> "GetSessionToken";
      case Principal.FederatedUser federated -> "GetFederationToken";
      case Principal.User user -> null;
      case Principal.Root root -> null;
      case Principal.AssumedRole role -> null;
    };
    if (caller == null || request.action().equals("GetCallerIdentity")
        || (caller.equals("GetSessionToken") && request.action().equals("AssumeRole"))) {
      return;
    }
    if (request.service().equals("iam") || request.service().equals("sts")) {
      throw new WharfException.AccessDenied("Credentials from " + caller + " cannot call " + request.service() + ":"
          + request.action() + (request.service().equals("iam") ? " without MFA" : ""));
    }
  }

  /** The service named by the signature's credential scope, read before verification to pick the error shape. */
  private static String scopeService(Exchange exchange) {
    String credential = null;
    String authorization = exchange.header("Authorization");
    if (authorization != null) {
      int at = authorization.indexOf("Credential=");
      if (at >= 0) {
        credential = authorization.substring(at + "Credential=".length()).split("[,\\s]", 2)[0];
      }
    } else if (exchange.rawQuery() != null) {
      for (String pair : exchange.rawQuery().split("&")) {
        if (pair.startsWith("X-Amz-Credential=")) {
          credential = URLDecoder.decode(pair.substring("X-Amz-Credential=".length()), StandardCharsets.UTF_8);
        }
      }
    }
    if (credential != null) {
      String[] parts = credential.split("/");
      if (parts.length == 5 && NAMESPACES.containsKey(parts[3])) {
        return parts[3];
      }
    }
    return "sts";
  }

  private static Map<String, String> parameters(Exchange exchange, byte[] body) {
    Map<String, String> parameters = new LinkedHashMap<>();
    FormEncoding.decodeInto(exchange.rawQuery(), parameters, true);
    String contentType = exchange.header("Content-Type");
    if (body.length > 0) {
      if (contentType == null || !contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
        throw new WharfException.Invalid("MalformedQueryString",
            "Expected a body of type application/x-www-form-urlencoded, got " + contentType);
      }
      FormEncoding.decodeInto(new String(body, StandardCharsets.UTF_8), parameters, false);
    }
    return parameters;
  }

  private static String response(String service, String action, XmlBuilder result, String requestId) {
    XmlBuilder xml = XmlBuilder.document().open(action + "Response", NAMESPACES.get(service));
    if (!result.isEmpty()) {
      xml.open(action + "Result").append(result).close(action + "Result");
    }
    return xml.element("ResponseMetadata", m -> m.text("RequestId", requestId)).close(action + "Response").toString();
  }

  private static String error(String service, String code, String type, String message, String requestId) {
    return XmlBuilder.document().open("ErrorResponse", NAMESPACES.getOrDefault(service, NAMESPACES.get("sts")))
        .element("Error", e -> e.text("Type", type).text("Code", code).text("Message", message))
        .text("RequestId", requestId)
        .close("ErrorResponse")
        .toString();
  }

  /** Renders the error; returns the code sent. */
  private static String sendError(Exchange exchange, String service, WharfException e) {
    int status;
    String code;
    switch (e) {
      case WharfException.Invalid invalid -> {
        status = 400;
        code = invalid.code() == null ? "ValidationError" : invalid.code();
      }
      case WharfException.NotAuthenticated unauthenticated -> {
        status = AwsAuthenticator.status(unauthenticated);
        code = unauthenticated.code();
      }
      case WharfException.AccessDenied denied -> {
        status = 403;
        code = "AccessDenied";
      }
      case WharfException.NotFound notFound -> {
        status = 404;
        code = notFound.code() == null ? "NoSuchEntity" : notFound.code();
      }
      case WharfException.Conflict conflict -> {
        status = 409;
        code = conflict.code() == null ? "EntityAlreadyExists" : conflict.code();
      }
      case WharfException.LimitExceeded limit -> {
        status = 409;
        code = limit.code() == null ? "LimitExceeded" : limit.code();
      }
      case WharfException.TooLarge tooLarge -> {
        status = 413;
        code = "RequestEntityTooLarge";
      }
    }
    exchange.setHeader("x-amzn-RequestId", exchange.requestId());
    exchange.send(status, "text/xml", error(service, code, "Sender", e.getMessage(), exchange.requestId()));
    return code;
  }
}
