package dev.wharf.identity.http;

import dev.wharf.api.aws.QueryOperation;
import dev.wharf.api.aws.QueryOperation.Permission;
import dev.wharf.api.aws.QueryOperation.Resource;
import dev.wharf.api.aws.QueryRequest;
import dev.wharf.api.aws.XmlBuilder;
import dev.wharf.identity.CredentialService;
import dev.wharf.identity.SessionScope;
import dev.wharf.identity.StsService;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** STS's query-protocol actions. */
public final class StsEndpoints {
  private final StsService sts;

  public StsEndpoints(StsService sts) {
    this.sts = Objects.requireNonNull(sts, "sts");
  }

  public List<QueryOperation> operations() {
    return List.of(
        new QueryOperation("sts", "GetCallerIdentity",
            new Permission.NoPolicyCheck("AWS answers GetCallerIdentity for any valid credentials, even under an explicit deny"),
            (r, x) -> x.text("UserId", r.principal().userId()).text("Account", r.principal().accountId())
                .text("Arn", r.principal().arn())),
        new QueryOperation("sts", "AssumeRole",
            new Permission.NoPolicyCheck("StsService checks sts:AssumeRole against the role's trust policy and the caller's policies"),
            (r, x) -> {
              r.refuseUnsupported("SerialNumber", "TokenCode", "ProvidedContexts");
              StsService.AssumedRole assumed = sts.assumeRole(r.principal(), r.origin(), r.required("RoleArn"),
                  r.required("RoleSessionName"), r.optionalInt("DurationSeconds"), r.optional("ExternalId"),
                  scope(r));
              session(x, assumed.credentials());
            }),
        new QueryOperation("sts", "GetSessionToken",
            new Permission.NoPolicyCheck("AWS requires no permission for GetSessionToken: the credentials act as the"
                + " calling user with its own policies"),
            (r, x) -> {
              r.refuseUnsupported("SerialNumber", "TokenCode");
              credentials(x, sts.getSessionToken(r.principal(), r.optionalInt("DurationSeconds")));
            }),
        new QueryOperation("sts", "GetFederationToken",
            new Permission.PolicyAction("sts:GetFederationToken", r -> new Resource("arn:aws:sts::"
                + r.principal().accountId() + ":federated-user/" + r.required("Name"), r.principal().accountId())),
            (r, x) -> {
              CredentialService.SessionCredentials federated = sts.getFederationToken(r.principal(), r.origin(),
                  r.required("Name"), r.optionalInt("DurationSeconds"), scope(r));
              credentials(x, federated);
              x.element("FederatedUser", u -> u.text("FederatedUserId", federated.principal().userId())
                  .text("Arn", federated.principal().arn()));
              packedPolicySize(x, federated);
            }),
        new QueryOperation("sts", "AssumeRoleWithWebIdentity",
            new Permission.Unsigned("the web identity token is the proof: StsService verifies it against a registered"
                + " OIDC provider and the role's trust policy decides"),
            (r, x) -> {
              r.refuseUnsupported("ProviderId");
              SessionScope policies = new SessionScope(r.optional("Policy"), r.members("PolicyArns", "arn"), Map.of(),
                  Set.of(), null);
              StsService.WebIdentitySession assumed = sts.assumeRoleWithWebIdentity(r.origin(), r.required("RoleArn"),
                  r.required("RoleSessionName"), r.required("WebIdentityToken"), r.optionalInt("DurationSeconds"),
                  policies);
              session(x, assumed.credentials());
              x.text("SubjectFromWebIdentityToken", assumed.identity().subject())
                  .text("Audience", assumed.identity().audience())
                  .text("Provider", assumed.identity().claims().getIssuer());
            }));
  }

  /** What AssumeRole and GetFederationToken are given beyond the principal: policies, tags, source identity. */
  private static SessionScope scope(QueryRequest r) {
    return new SessionScope(r.optional("Policy"), r.members("PolicyArns", "arn"), r.keyValueMembers("Tags"),
        Set.copyOf(r.members("TransitiveTagKeys")), r.optional("SourceIdentity"));
  }

  /** The Credentials and AssumedRoleUser members every AssumeRole call answers. */
  private static void session(XmlBuilder x, CredentialService.SessionCredentials credentials) {
    credentials(x, credentials);
    x.element("AssumedRoleUser", u -> u.text("AssumedRoleId", credentials.principal().userId())
        .text("Arn", credentials.principal().arn()));
    packedPolicySize(x, credentials);
    String source = credentials.principal().session().scope().sourceIdentity();
    if (source != null) {
      x.text("SourceIdentity", source);
    }
  }

  private static void credentials(XmlBuilder x, CredentialService.SessionCredentials credentials) {
    x.element("Credentials", c -> c.text("AccessKeyId", credentials.accessKeyId())
        .text("SecretAccessKey", credentials.secretAccessKey())
        .text("SessionToken", credentials.sessionToken())
        .text("Expiration", credentials.expiresAt()));
  }

  /** PackedPolicySize, where session policies or tags were passed. */
  private static void packedPolicySize(XmlBuilder x, CredentialService.SessionCredentials credentials) {
    SessionScope scope = credentials.principal().session().scope();
    if (scope.hasSessionPolicies() || !scope.tags().isEmpty()) {
      x.text("PackedPolicySize", Integer.toString(StsService.packedPolicySize(scope)));
    }
  }
}
