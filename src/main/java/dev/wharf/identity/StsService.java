package dev.wharf.identity;

import dev.wharf.error.WharfException;
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

/** STS: AssumeRole (trust policy and the caller's permission both checked) and caller identity. */
public final class StsService {
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::([0-9]{12}):role(/|/.*/)([\\w+=,.@-]{1,64})");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final int DEFAULT_DURATION = 3600;
  private static final int CHAINED_MAX_DURATION = 3600;

  private final IdentityStore store;
  private final CredentialService credentials;
  private final PermissionService permissions;

  public StsService(IdentityStore store, CredentialService credentials, PermissionService permissions) {
    this.store = Objects.requireNonNull(store, "store");
    this.credentials = Objects.requireNonNull(credentials, "credentials");
    this.permissions = Objects.requireNonNull(permissions, "permissions");
  }

  /** The result of AssumeRole and the statement that allowed it (for the audit trail). */
  public record AssumedRole(CredentialService.SessionCredentials credentials, Decision decision) {}

  public AssumedRole assumeRole(Principal caller, PermissionService.RequestOrigin origin, String roleArn,
      String sessionName, Integer durationSeconds, String externalId) {
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
    String denied = "User: " + caller.arn() + " is not authorized to perform: sts:AssumeRole on resource: " + roleArn;
    if (caller instanceof Principal.Root) {
      throw new WharfException.AccessDenied("Roles may not be assumed by root accounts.");
    }
    Matcher arn = ROLE_ARN.matcher(roleArn);
    if (!arn.matches()) {
      throw new WharfException.Invalid("ValidationError", roleArn + " is invalid");
    }
    Optional<Role> found = store.findRole(arn.group(1), arn.group(3)).filter(r -> r.path().equals(arn.group(2)));
    if (found.isEmpty()) {
      throw new WharfException.AccessDenied(denied);
    }
    Role role = found.get();
    Map<String, List<String>> context = new HashMap<>();
    context.put("sts:DurationSeconds", List.of(Integer.toString(duration)));
    context.put("sts:RoleSessionName", List.of(sessionName));
    if (externalId != null) {
      context.put("sts:ExternalId", List.of(externalId));
    }
    List<AttachedPolicy> trust = List.of(new AttachedPolicy(role.arn() + "/trust-policy",
        PolicyDocument.parseStored(role.trustPolicy(), PolicyKind.TRUST)));
    Decision decision = permissions.authorize(caller, origin, "sts:AssumeRole", role.arn(), role.accountId(), trust, context);
    if (!decision.allowed()) {
      throw new WharfException.AccessDenied(denied);
    }
    if (duration > role.maxSessionDuration()) {
      throw new WharfException.Invalid("ValidationError",
          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    if (caller instanceof Principal.AssumedRole && duration > CHAINED_MAX_DURATION) {
      throw new WharfException.Invalid("ValidationError",
          "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    }
    return new AssumedRole(credentials.issueSession(role, sessionName, Duration.ofSeconds(duration)), decision);
  }
}
