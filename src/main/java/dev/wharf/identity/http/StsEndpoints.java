package dev.wharf.identity.http;

import dev.wharf.api.aws.QueryOperation;
import dev.wharf.api.aws.QueryOperation.Permission;
import dev.wharf.api.aws.XmlBuilder;
import dev.wharf.identity.CredentialService;
import dev.wharf.identity.StsService;
import java.util.List;
import java.util.Objects;

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
              r.refuseUnsupported("Policy", "PolicyArns", "Tags", "TransitiveTagKeys", "SerialNumber", "TokenCode",
                  "SourceIdentity", "ProvidedContexts");
              StsService.AssumedRole assumed = sts.assumeRole(r.principal(), r.origin(), r.required("RoleArn"),
                  r.required("RoleSessionName"), r.optionalInt("DurationSeconds"), r.optional("ExternalId"));
              session(x, assumed.credentials());
            }),
        new QueryOperation("sts", "AssumeRoleWithWebIdentity",
            new Permission.Unsigned("the web identity token is the proof: StsService verifies it against a registered"
                + " OIDC provider and the role's trust policy decides"),
            (r, x) -> {
              r.refuseUnsupported("Policy", "PolicyArns", "ProviderId");
              StsService.WebIdentitySession assumed = sts.assumeRoleWithWebIdentity(r.origin(), r.required("RoleArn"),
                  r.required("RoleSessionName"), r.required("WebIdentityToken"), r.optionalInt("DurationSeconds"));
              session(x, assumed.credentials());
              x.text("SubjectFromWebIdentityToken", assumed.identity().subject())
                  .text("Audience", assumed.identity().audience())
                  .text("Provider", assumed.identity().claims().getIssuer());
            }));
  }

  /** The Credentials and AssumedRoleUser members every AssumeRole call answers. */
  private static void session(XmlBuilder x, CredentialService.SessionCredentials credentials) {
    x.element("Credentials", c -> c.text("AccessKeyId", credentials.accessKeyId())
            .text("SecretAccessKey", credentials.secretAccessKey())
            .text("SessionToken", credentials.sessionToken())
            .text("Expiration", credentials.principal().expiresAt()))
        .element("AssumedRoleUser", u -> u.text("AssumedRoleId", credentials.principal().userId())
            .text("Arn", credentials.principal().arn()));
  }
}
