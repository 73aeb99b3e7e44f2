package dev.wharf.token.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wharf.api.aws.QueryOperation;
import dev.wharf.api.aws.RestOperation;
import dev.wharf.api.aws.XmlBuilder;
import dev.wharf.error.WharfException;
import dev.wharf.token.IssuedToken;
import dev.wharf.token.TokenGrantService;
import dev.wharf.token.TokenService;
import dev.wharf.token.TokenStore;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * CodeArtifact's GetAuthorizationToken, and Wharf's own token administration (query protocol,
 * signing name {@code wharf}): list, revoke, rotate and retire keys. Each is policy-checked like any
 * AWS action: {@code wharf:ListAuthorizationTokens}, {@code wharf:RevokeAuthorizationToken},
 * {@code wharf:ListTokenKeys}, {@code wharf:RotateTokenKey}, {@code wharf:RetireTokenKey}.
 */
public final class TokenEndpoints {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TokenGrantService grants;
  private final TokenService tokens;
  private final String region;
  private final Supplier<String> managementAccountId;

  public TokenEndpoints(TokenGrantService grants, TokenService tokens, String region, Supplier<String> managementAccountId) {
    this.grants = Objects.requireNonNull(grants, "grants");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.region = Objects.requireNonNull(region, "region");
    this.managementAccountId = Objects.requireNonNull(managementAccountId, "managementAccountId");
  }

  public List<RestOperation> restOperations() {
    return List.of(new RestOperation("GetAuthorizationToken", "POST", "/v1/authorization-token",
        new RestOperation.Permission.NoPolicyCheck(
            "TokenGrantService checks codeartifact:GetAuthorizationToken (with the domain policy) and sts:GetServiceBearerToken"),
        r -> {
          String duration = r.query("duration");
          Long seconds = null;
          if (duration != null) {
            try {
              seconds = Long.parseLong(duration);
            } catch (NumberFormatException e) {
              throw new WharfException.Invalid("ValidationException", "durationSeconds must be a number, got " + duration);
            }
          }
          IssuedToken issued = grants.getAuthorizationToken(r.principal(), r.origin(), r.query("domain-owner"),
              r.requiredQuery("domain", "domain"), seconds);
          return JSON.createObjectNode().put("authorizationToken", issued.token())
              .put("expiration", issued.expiresAt().getEpochSecond());
        }));
  }

  private String tokenArn(String account, String tokenId) {
    return "arn:aws:wharf:" + region + ":" + account + ":token/" + tokenId;
  }

  private QueryOperation.Resource keys() {
    return new QueryOperation.Resource("arn:aws:wharf:" + region + ":" + managementAccountId.get() + ":token-key/*",
        managementAccountId.get());
  }

  public List<QueryOperation> queryOperations() {
    return List.of(
        new QueryOperation("wharf", "ListAuthorizationTokens",
            new QueryOperation.Permission.PolicyAction("wharf:ListAuthorizationTokens",
                r -> new QueryOperation.Resource(tokenArn(r.principal().accountId(), "*"), r.principal().accountId())),
            (r, x) -> x.element("Tokens", list -> tokens.liveTokens(r.principal().accountId())
                .forEach(token -> list.element("member", m -> token(m, token))))),
        new QueryOperation("wharf", "RevokeAuthorizationToken",
            // A token of another account is answered as an unknown one (NoSuchEntity below): the policy check is on
            // the caller's own account, so no refusal names the account a token id belongs to.
            new QueryOperation.Permission.PolicyAction("wharf:RevokeAuthorizationToken", r -> new QueryOperation.Resource(
                tokenArn(r.principal().accountId(), r.required("TokenId")), r.principal().accountId())),
            (r, x) -> {
              String id = r.required("TokenId");
              TokenStore.TokenRecord record = tokens.find(id)
                  .filter(t -> t.principalAccount().equals(r.principal().accountId()))
                  .orElseThrow(() -> new WharfException.NotFound("NoSuchEntity", "Token " + id + " not found"));
              if (!tokens.revoke(id)) {
                throw new WharfException.Conflict("AlreadyRevoked", "Token " + id + " was already revoked");
              }
              x.element("Token", m -> token(m, record));
            }),
        new QueryOperation("wharf", "ListTokenKeys",
            new QueryOperation.Permission.PolicyAction("wharf:ListTokenKeys", r -> keys()),
            (r, x) -> x.text("CurrentKeyId", tokens.currentKeyId()).element("Keys", list -> tokens.keys()
                .forEach(key -> list.element("member", m -> m.text("KeyId", key.keyId())
                    .text("Status", key.retired() ? "Retired" : "Active").text("CreateDate", key.createdAt())
                    .text("RetireDate", key.retiredAt()))))),
        new QueryOperation("wharf", "RotateTokenKey",
            new QueryOperation.Permission.PolicyAction("wharf:RotateTokenKey", r -> keys()),
            (r, x) -> x.text("KeyId", tokens.rotateKey())),
        new QueryOperation("wharf", "RetireTokenKey",
            new QueryOperation.Permission.PolicyAction("wharf:RetireTokenKey", r -> keys()),
            (r, x) -> {
              String keyId = r.required("KeyId");
              if (!tokens.retireKey(keyId)) {
                throw new WharfException.NotFound("NoSuchEntity", "No active token key " + keyId);
              }
              x.text("RetiredKeyId", keyId).text("CurrentKeyId", tokens.currentKeyId());
            }));
  }

  private static void token(XmlBuilder m, TokenStore.TokenRecord token) {
    m.text("TokenId", token.tokenId()).text("Principal", token.principalArn()).text("DomainOwner", token.domainOwner())
        .text("Domain", token.domainName()).text("KeyId", token.keyId()).text("IssuedAt", token.issuedAt())
        .text("ExpiresAt", token.expiresAt()).text("LastUsedAt", token.lastUsedAt());
  }
}
