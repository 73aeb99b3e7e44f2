package dev.wharf.api.aws;

import dev.wharf.api.aws.sigv4.CredentialResolver;
import dev.wharf.api.aws.sigv4.ExpectedScope;
import dev.wharf.api.aws.sigv4.SigV4Exception;
import dev.wharf.api.aws.sigv4.SigV4Verifier;
import dev.wharf.api.aws.sigv4.SignedRequest;
import dev.wharf.api.aws.sigv4.SigningCredential;
import dev.wharf.api.aws.sigv4.VerifiedRequest;
import dev.wharf.api.http.Exchange;
import dev.wharf.error.WharfException;
import dev.wharf.identity.CredentialService;
import dev.wharf.identity.Principal;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;

/**
 * Authenticates SigV4-signed AWS API calls and renders failures in each protocol's vocabulary. A signature
 * counts only when its credential scope names the service called and a region this server answers for:
 * the server's own region, and for IAM and STS also {@code us-east-1} and {@code aws-global}, the regions
 * clients sign AWS's global endpoints of those services with (the AWS SDK for Java signs an endpoint
 * override with {@code aws-global} when the client's region is {@code Region.AWS_GLOBAL}).
 */
public final class AwsAuthenticator {
  /** Services AWS also serves from a global endpoint, signed for us-east-1 (or the SDKs' aws-global). */
  private static final Set<String> GLOBAL_SERVICES = Set.of("iam", "sts");
  private static final Set<String> GLOBAL_SIGNING_REGIONS = Set.of("us-east-1", "aws-global");

  private final SigV4Verifier<Principal> verifier;
  private final CredentialService credentials;
  private final String region;

  /** The two AWS protocols Wharf speaks: they name the same failures differently. */
  public enum Protocol {
    QUERY,
    REST_JSON
  }

  /** @param region the server's region: the one every credential scope must name (see the class comment) */
  public AwsAuthenticator(Clock clock, CredentialService credentials, String region) {
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.region = Objects.requireNonNull(region, "region");
    CredentialResolver<Principal> resolver = (accessKeyId, sessionToken) -> {
      try {
        CredentialService.Resolved resolved = credentials.resolve(accessKeyId, sessionToken);
        return new SigningCredential<>(resolved.secretAccessKey(), resolved.principal());
      } catch (CredentialService.CredentialException e) {
        SigV4Exception.Reason reason = switch (e.problem()) {
          case UNKNOWN_ACCESS_KEY -> SigV4Exception.Reason.UNKNOWN_ACCESS_KEY;
          case INACTIVE_ACCESS_KEY -> SigV4Exception.Reason.INACTIVE_ACCESS_KEY;
          case INVALID_SESSION_TOKEN -> SigV4Exception.Reason.INVALID_SESSION_TOKEN;
          case EXPIRED_SESSION -> SigV4Exception.Reason.EXPIRED_TOKEN;
        };
        throw new SigV4Exception(reason, e.getMessage());
      }
    };
    this.verifier = new SigV4Verifier<>(clock, resolver);
  }

  /**
   * Verifies the request's signature over the given body hash, for the given service, or throws NotAuthenticated
   * in the protocol's terms.
   *
   * @param service the signing name of the service the request calls ({@code codeartifact}, {@code iam}, …): a
   *     credential scope naming another service, or a region this server does not answer for, is refused
   */
  public VerifiedRequest<Principal> authenticate(Exchange exchange, String payloadSha256Hex, Protocol protocol,
      String service) {
    SignedRequest request = new SignedRequest(exchange.method(), exchange.rawPath(), exchange.rawQuery(), exchange.headers());
    try {
      VerifiedRequest<Principal> verified = verifier.verify(request, payloadSha256Hex, expectedScope(service));
      credentials.recordKeyUse(verified.accessKeyId(), verified.service(), verified.region());
      return verified;
    } catch (SigV4Exception e) {
      throw notAuthenticated(e, protocol);
    }
  }

  /** The scope a request to the service must be signed with. */
  ExpectedScope expectedScope(String service) {
    if (GLOBAL_SERVICES.contains(service)) {
      Set<String> regions = new java.util.HashSet<>(GLOBAL_SIGNING_REGIONS);
      regions.add(region);
      return new ExpectedScope(service, regions);
    }
    return new ExpectedScope(service, Set.of(region));
  }

  static WharfException.NotAuthenticated notAuthenticated(SigV4Exception e, Protocol protocol) {
    String invalidToken = "The security token included in the request is invalid.";
    return switch (e.reason()) {
      case MISSING_AUTHENTICATION -> new WharfException.NotAuthenticated(
          protocol == Protocol.QUERY ? "MissingAuthenticationToken" : "MissingAuthenticationTokenException",
          "Request is missing Authentication Token");
      case INCOMPLETE_SIGNATURE, UNSUPPORTED_ALGORITHM -> new WharfException.NotAuthenticated(
          protocol == Protocol.QUERY ? "IncompleteSignature" : "IncompleteSignatureException", e.getMessage());
      case UNKNOWN_ACCESS_KEY, INACTIVE_ACCESS_KEY, INVALID_SESSION_TOKEN -> new WharfException.NotAuthenticated(
          protocol == Protocol.QUERY ? "InvalidClientTokenId" : "UnrecognizedClientException", invalidToken);
      case EXPIRED_TOKEN -> new WharfException.NotAuthenticated(
          protocol == Protocol.QUERY ? "ExpiredToken" : "ExpiredTokenException",
          "The security token included in the request is expired");
      case SIGNATURE_MISMATCH -> new WharfException.NotAuthenticated(
          protocol == Protocol.QUERY ? "SignatureDoesNotMatch" : "InvalidSignatureException",
          "The request signature we calculated does not match the signature you provided. Check your AWS Secret"
              + " Access Key and signing method. Consult the service documentation for details.");
      case WRONG_CREDENTIAL_SCOPE, REQUEST_TIME_SKEWED, PRESIGNED_URL_EXPIRED -> new WharfException.NotAuthenticated(
          protocol == Protocol.QUERY ? "SignatureDoesNotMatch" : "InvalidSignatureException", e.getMessage());
    };
  }

  /** HTTP status of an authentication failure: IncompleteSignature is 400 in the query protocol, ExpiredToken 403 as AWS answers. */
  public static int status(WharfException.NotAuthenticated e) {
    return switch (e.code()) {
      case "IncompleteSignature" -> 400;
      default -> 403;
    };
  }
}
