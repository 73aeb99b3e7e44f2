package dev.wharf.identity.http;

import dev.wharf.api.aws.QueryOperation;
import dev.wharf.api.aws.QueryOperation.Permission;
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
              CredentialService.SessionCredentials credentials = assumed.credentials();
              x.element("Credentials", c -> c.text("AccessKeyId", credentials.accessKeyId())
                      .text("SecretAccessKey", credentials.secretAccessKey())
                      .text("SessionToken", credentials.sessionToken())
                      .text("Expiration", credentials.principal().expiresAt()))
                  .element("AssumedRoleUser", u -> u.text("AssumedRoleId", credentials.principal().userId())
                      .text("Arn", credentials.principal().arn()));
            }));
  }
}
