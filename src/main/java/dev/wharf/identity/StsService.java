package dev.wharf.identity;

import dev.wharf.error.WharfException;
import dev.wharf.identity.oidc.WebIdentityVerifier;
import dev.wharf.policy.AttachedPolicy;
import dev.wharf.policy.Decision;
import dev.wharf.policy.PolicyDocument;
import dev.wharf.policy.PolicyKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS: AssumeRole (trust policy and the caller's permission both checked), AssumeRoleWithWebIdentity
 * (an OIDC token verified, then the trust policy alone decides), and caller identity.
 */
public final class StsService {
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::([0-9]{12}):role(/|/.*/)([\\w+=,.@-]{1,64})");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final int DEFAULT_DURATION = 3600;
  private static final int CHAINED_MAX_DURATION = 3600;

  private final IdentityStore store;
  private final CredentialService credentials;
  private final PermissionService permissions;
  private final WebIdentityVerifier webIdentities;

  public StsService(IdentityStore store, CredentialService credentials, PermissionService permissions,
      WebIdentityVerifier webIdentities) {
    this.store = Objects.requireNonNull(store, "store");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.permissions = Objects.requireNonNull(permissions, "permissions");
    this.webIdentities = Objects.requireNonNull(webIdentities, "webIdentities");
  }

  /** The result of AssumeRole and the statement that allowed it (for the audit trail). */
  public record AssumedRole(CredentialService.SessionCredentials credentials, Decision decision) {}

  /** The result of AssumeRoleWithWebIdentity: the session, the deciding statement and the verified identity. */
  public record WebIdentitySession(CredentialService.SessionCredentials credentials, Decision decision,
      WebIdentityVerifier.WebIdentity identity) {}

  public AssumedRole assumeRole(Principal caller, PermissionService.RequestOrigin origin, String roleArn,
      String sessionName, Integer durationSeconds, String externalId) {
    int duration = checkRequest(roleArn, sessionName, durationSeconds);
    String denied = "User: " + caller.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn;
    if (caller instanceof Principal.Root) {
      throw new WharfException.AccessDenied("Roles may not be assumed by root accounts.");
    }
    Matcher arn = roleArn(roleArn);
    Role role = findRole(arn).orElseThrow(() -> new WharfException.AccessDenied(denied));
    Map<String, List<String>> context = new HashMap<>();
    context.put("sts:DurationSeconds", List.of(Integer.toString(duration)));
    context.put("sts:RoleSessionName", List.of(sessionName));
    if (externalId != null) {
      context.put("sts:ExternalId", List.of(externalId));
    }
    Decision decision = permissions.authorize(caller, origin, "sts:AssumeRole", role.arn(), role.accountId(),
        trustPolicy(role), context);
    if (!decision.allowed()) {
      throw new WharfException.AccessDenied(denied);
    }
    checkDuration(role, duration);
    if (caller instanceof Principal.AssumedRole && duration > CHAINED_MAX_DURATION) {
      throw new WharfException.Invalid("ValidationError",
          "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    }
    return new AssumedRole(credentials.issueSession(role, sessionName, Duration.ofSeconds(duration)), decision);
  }

  /**
   * AssumeRoleWithWebIdentity, an unsigned call: the token is verified against a provider registered
   * in the role's account, then the role's trust policy must allow the provider as
   * {@code Principal.Federated}, with the token's claims as the provider's condition keys
   * ({@code HOST/PATH:sub}, {@code :aud}, {@code :amr}) and {@code sts:RoleSessionName}.
   */
  public WebIdentitySession assumeRoleWithWebIdentity(PermissionService.RequestOrigin origin, String roleArn,
      String sessionName, String webIdentityToken, Integer durationSeconds) {
    int duration = checkRequest(roleArn, sessionName, durationSeconds);
    Matcher arn = roleArn(roleArn);
    WebIdentityVerifier.WebIdentity identity = webIdentities.verify(arn.group(1), webIdentityToken);
    String denied = "Not authorized to perform sts:AssumeRoleWithWebIdentity";
    Role role = findRole(arn).orElseThrow(() -> new WharfException.AccessDenied(denied));
    String url = identity.provider().url();
    Map<String, List<String>> context = new HashMap<>();
    context.put("sts:RoleSessionName", List.of(sessionName));
    context.put(url + ":sub", List.of(identity.subject()));
    context.put(url + ":aud", List.of(identity.audience()));
    if (!identity.amr().isEmpty()) {
      context.put(url + ":amr", identity.amr());
    }
    Decision decision = permissions.authorizeWebIdentity(identity.provider().arn(), role.accountId(), origin,
        role.arn(), trustPolicy(role), context);
    if (!decision.allowed()) {
      throw new WharfException.AccessDenied(denied);
    }
    checkDuration(role, duration);
    return new WebIdentitySession(credentials.issueSession(role, sessionName, Duration.ofSeconds(duration)), decision,
        identity);
  }

  /** Checks what both AssumeRole calls share, as STS validates it; returns the duration asked for. */
  private static int checkRequest(String roleArn, String sessionName, Integer durationSeconds) {
    if (roleArn == null || roleArn.length() < 20 || roleArn.length() > 2048) {
      throw new WharfException.Invalid("ValidationError",
          "1 validation error detected: Value at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20");
    }
    if (sessionName == null || !SESSION_NAME.matcher(sessionName).matches()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + sessionName
          + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern:"
          + " [\\w+=,.@-]* and have length between 2 and 64");
    }
    int duration = durationSeconds == null ? DEFAULT_DURATION : durationSeconds;
    if (duration < 900) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + duration
          + "' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
    }
    if (duration > 43200) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + duration
          + "' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200");
    }
    return duration;
  }

  private static Matcher roleArn(String roleArn) {
    Matcher arn = ROLE_ARN.matcher(roleArn);
    if (!arn.matches()) {
      throw new WharfException.Invalid("ValidationError", roleArn + " is invalid");
    }
    return arn;
  }

  private Optional<Role> findRole(Matcher arn) {
    return store.findRole(arn.group(1), arn.group(3)).filter(r -> r.path().equals(arn.group(2)));
  }

  private static List<AttachedPolicy> trustPolicy(Role role) {
    return List.of(new AttachedPolicy(role.arn() + "/trust-policy",
        PolicyDocument.parseStored(role.trustPolicy(), PolicyKind.TRUST)));
  }

  private static void checkDuration(Role role, int duration) {
    if (duration > role.maxSessionDuration()) {
      throw new WharfException.Invalid("ValidationError",
          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
  }
}
