package dev.wharf.api.aws;

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

  /** The order in which services are named when an action belongs to more than one and the scope names neither. */
  private static final List<String> SERVICE_ORDER = List.of("iam", "sts", "wharf");

  private final AwsEndpointContext context;
  private final Map<String, QueryOperation> operations = new HashMap<>();
  /** By action name (IAM's and STS's do not overlap; an unknown Action is counted as unknown). */
  private final RequestMeters meters;
  /** The service each action belongs to (the first in SERVICE_ORDER when several have it). */
  private final Map<String, String> serviceOfAction = new HashMap<>();

  public AwsQueryEndpoints(AwsEndpointContext context, List<QueryOperation> operations) {
    this.context = Objects.requireNonNull(context, "context");
    for (QueryOperation operation : operations) {
      if (!NAMESPACES.containsKey(operation.service())) {
        throw new IllegalStateException("no XML namespace for service " + operation.service());
      }
      if (this.operations.put(key(operation.service(), operation.action()), operation) != null) {
        throw new IllegalStateException("duplicate operation " + operation.service() + ":" + operation.action());
      }
      serviceOfAction.merge(operation.action(), operation.service(),
          (a, b) -> SERVICE_ORDER.indexOf(a) <= SERVICE_ORDER.indexOf(b) ? a : b);
    }
    this.meters = context.metrics().requests(RequestProtocol.AWS_QUERY, "none",
        operations.stream().map(QueryOperation::action).distinct().toList());
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
    AuditLog.Entry entry = context.beginAudit(exchange);
    try {
      byte[] body = "POST".equals(exchange.method()) ? exchange.readBody(MAX_BODY_BYTES) : new byte[0];
      String signedFor = scopeService(exchange);
      service = signedFor != null && NAMESPACES.containsKey(signedFor) ? signedFor : "sts";
      Map<String, String> parameters = parameters(exchange, body);
      String action = parameters.get("Action");
      exchange.meter(meters.operation(action));
      // An unsigned operation (AssumeRoleWithWebIdentity) carries its own proof; a signature on it is ignored, as AWS does.
      QueryOperation operation = operations.get(key(service, action));
      Principal principal = null;
      String accessKeyId = null;
      if (operation == null || !(operation.permission() instanceof QueryOperation.Permission.Unsigned)) {
        String called = serviceCalled(signedFor, action);
        VerifiedRequest<Principal> verified;
        try {
          verified = context.authenticator().authenticate(exchange, Sha256.hex(body), AwsAuthenticator.Protocol.QUERY,
              called);
        } catch (WharfException.NotAuthenticated e) {
          context.admitUnsigned(exchange); // over the address's limit, the answer is Throttling instead
          throw e;
        }
        service = verified.service();
        principal = verified.principal();
        accessKeyId = verified.accessKeyId();
        entry.principal(principal);
        operation = operations.get(key(service, action));
        context.admitSigned(exchange, accessKeyId, principal, operation == null ? null : action);
      } else {
        context.admitUnsigned(exchange);
      }
      entry.action(service + ":" + action);
      if (action == null || action.isEmpty()) {
        throw new WharfException.Invalid("MissingAction", "Missing Action");
      }
      if (operation == null) {
        throw new WharfException.Invalid("InvalidAction", "Could not find operation " + action + " for service " + service);
      }
      QueryRequest request = new QueryRequest(service, action, Map.copyOf(parameters), principal, accessKeyId,
          AwsEndpointContext.origin(exchange), exchange.requestId());
      authorize(operation, request, entry);
      XmlBuilder result = new XmlBuilder();
      operation.handler().handle(request, result);
      exchange.setHeader("x-amzn-RequestId", exchange.requestId());
      exchange.send(200, "text/xml", response(service, action, result, exchange.requestId()));
      entry.finish(AuditEvent.Outcome.ALLOWED, null);
    } catch (WharfException e) {
      AwsEndpointContext.finishWithError(entry, e, sendError(exchange, service, e));
    } catch (IOException e) {
      sendError(exchange, service, new WharfException.Invalid("MalformedQueryString", "The request body could not be read"));
      entry.finish(AuditEvent.Outcome.FAILED, "MalformedQueryString");
    } catch (RuntimeException e) {
      java.util.Optional<Unavailable.Reason> reason = context.unavailable().report(exchange.requestId(), e);
      if (reason.isPresent()) {
        // IAM's and STS's code for a failure that passes, with the status that says what to do (503, or 507)
        entry.finish(AuditEvent.Outcome.FAILED, "ServiceUnavailable");
        exchange.setHeader("x-amzn-RequestId", exchange.requestId());
        exchange.send(reason.get().status(), "text/xml", error(service, "ServiceUnavailable", "Receiver",
            reason.get().message(), exchange.requestId()));
        return;
      }
      entry.finish(AuditEvent.Outcome.FAILED, "ServiceFailure");
      LOG.error("request {} failed", exchange.requestId(), e);
      exchange.setHeader("x-amzn-RequestId", exchange.requestId());
      exchange.send(500, "text/xml", error(service, "ServiceFailure", "Receiver",
          "An internal error occurred (request " + exchange.requestId() + ")", exchange.requestId()));
    }
  }

  /**
   * Runs an operation for a caller authenticated by other means (a console session), along the path a
   * signed request takes once its signature is checked: the same refusals, the declared policy check,
   * the handler and the audit entry.
   *
   * @return the result's members, as the response's {@code <ActionResult>} element would hold them
   * @throws WharfException as the API would answer it
   */
  public String call(String service, String action, Map<String, String> parameters, Caller caller) {
    QueryOperation operation = operations.get(key(service, action));
    if (operation == null || operation.permission() instanceof QueryOperation.Permission.Unsigned) {
      throw new IllegalArgumentException("no signed operation " + service + ":" + action);
    }
    AuditLog.Entry entry = context.audit().begin(caller::requestId, caller.origin().sourceIp());
    entry.action(service + ":" + action).principal(caller.principal());
    try {
      QueryRequest request = new QueryRequest(service, action, Map.copyOf(parameters), caller.principal(), null,
          caller.origin(), caller.requestId());
      authorize(operation, request, entry);
      XmlBuilder result = new XmlBuilder();
      operation.handler().handle(request, result);
      entry.finish(AuditEvent.Outcome.ALLOWED, null);
      return result.toString();
    } catch (WharfException e) {
      AwsEndpointContext.finishWithError(entry, e, e.code() == null ? "Error" : e.code());
      throw e;
    } catch (RuntimeException e) {
      entry.finish(AuditEvent.Outcome.FAILED, "ServiceFailure");
      throw e;
    }
  }

  private void authorize(QueryOperation operation, QueryRequest request, AuditLog.Entry entry) {
    refuseForTemporaryUsers(request);
    switch (operation.permission()) {
      case QueryOperation.Permission.NoPolicyCheck none -> { }
      case QueryOperation.Permission.Unsigned unsigned -> { }
      case QueryOperation.Permission.PolicyAction policy -> {
        QueryOperation.Resource resource = policy.resource().resolve(request);
        PolicyCheck.requireAll(context.permissions(), entry, request.principal(), request.origin(), policy.iamAction(),
            resource.alsoRequired(), resource.arn(), resource.accountId(), List.of(), resource.context());
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

  /**
   * The service a signed call reaches, which its credential scope must name: the scope's own service when it has
   * the action (all query services share one path, so the scope is what tells them apart, as the signing name
   * tells AWS's endpoints apart), else the service the action belongs to, so that a call signed for another
   * service ({@code s3}, {@code codeartifact}, or {@code sts} for an IAM action) is refused as AWS refuses it. An
   * unknown action reaches the scope's service when it is a query service (and is answered InvalidAction once
   * authenticated), else STS.
   */
  private String serviceCalled(String signedFor, String action) {
    if (signedFor != null && operations.containsKey(key(signedFor, action))) {
      return signedFor;
    }
    String owner = action == null ? null : serviceOfAction.get(action);
    if (owner != null) {
      return owner;
    }
    return signedFor != null && NAMESPACES.containsKey(signedFor) ? signedFor : "sts";
  }

  /**
   * The service named by the signature's credential scope, read before verification to pick the error shape and
   * the service called; null when the request names none.
   */
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
      if (parts.length == 5) {
        return parts[3];
      }
    }
    return null;
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

  /** Renders the error; returns the code sent: the service's own when the error names one, else the kind's usual. */
  private static String sendError(Exchange exchange, String service, WharfException e) {
    ErrorCode usual = switch (e) {
      case WharfException.Invalid invalid -> new ErrorCode(400, "ValidationError");
      case WharfException.NotAuthenticated unauthenticated ->
          new ErrorCode(AwsAuthenticator.status(unauthenticated), unauthenticated.code());
      case WharfException.AccessDenied denied -> new ErrorCode(403, "AccessDenied");
      case WharfException.NotFound notFound -> new ErrorCode(404, "NoSuchEntity");
      case WharfException.Conflict conflict -> new ErrorCode(409, "EntityAlreadyExists");
      case WharfException.LimitExceeded limit -> new ErrorCode(409, "LimitExceeded");
      case WharfException.TooLarge tooLarge -> new ErrorCode(413, "RequestEntityTooLarge");
      // IAM and STS answer throttling with 400 and the code Throttling ("Rate exceeded"), which the SDKs retry
      case WharfException.Throttled throttled -> new ErrorCode(400, "Throttling");
    };
    String code = e.code() == null ? usual.code() : e.code();
    if (e instanceof WharfException.Throttled throttled) {
      exchange.setHeader("Retry-After", Long.toString(throttled.retryAfterSeconds()));
      exchange.setHeader("x-amz-retry-after", Long.toString(throttled.retryAfterMillis()));
    }
    exchange.setHeader("x-amzn-RequestId", exchange.requestId());
    exchange.send(usual.status(), "text/xml", error(service, code, "Sender", e.getMessage(), exchange.requestId()));
    return code;
  }

  /** The HTTP status of an error, and the code it is answered with unless it names its own. */
  private record ErrorCode(int status, String code) {}
}
