package dev.wharf.identity;

import dev.wharf.error.WharfException;
import dev.wharf.identity.oidc.WebIdentityVerifier;
import dev.wharf.policy.AttachedPolicy;
import dev.wharf.policy.Decision;
import dev.wharf.policy.MalformedPolicyException;
import dev.wharf.policy.PolicyDocument;
import dev.wharf.policy.PolicyKind;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS: AssumeRole (trust policy and the caller's permission both checked), AssumeRoleWithWebIdentity
 * (an OIDC token verified, then the trust policy alone decides), GetSessionToken, GetFederationToken,
 * and the session policies, tags and source identity a session may be given.
 */
public final class StsService {
  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::([0-9]{12}):role(/|/.*/)([\\w+=,.@-]{1,64})");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]*");
  private static final Pattern FEDERATED_NAME = Pattern.compile("[\\w+=,.@-]{2,32}");
  private static final Pattern SOURCE_IDENTITY = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern TAG_KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
  private static final Pattern TAG_VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");
  private static final int MAX_SESSION_POLICY = 2048;
  private static final int MAX_SESSION_POLICY_ARNS = 10;
  private static final int MAX_SESSION_TAGS = 50;
  private static final int DEFAULT_DURATION = 3600;
  private static final int MAX_ROLE_SESSION_DURATION = 43200;
  private static final int DEFAULT_USER_SESSION_DURATION = 43200;
  private static final int MAX_USER_SESSION_DURATION = 129600;
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

  /**
   * AssumeRole. The session may be given session policies (it can then do no more than they allow), session
   * tags (the trust policy must allow {@code sts:TagSession}) and a source identity (it must allow
   * {@code sts:SetSourceIdentity}). A session chained from another keeps that session's transitive tags and
   * source identity, which the request cannot change.
   */
  public AssumedRole assumeRole(Principal caller, PermissionService.RequestOrigin origin, String roleArn,
      String sessionName, Integer durationSeconds, String externalId, SessionScope requested) {
    int duration = checkRequest(roleArn, sessionName, durationSeconds);
    SessionScope scope = chained(caller, checkScope(requested));
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
      if (externalId.length() < 2 || externalId.length() > 1224 || !EXTERNAL_ID.matcher(externalId).matches()) {
        throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'externalId'"
            + " failed to satisfy constraint: Member must have length between 2 and 1224 and satisfy regular"
            + " expression pattern: [\\w+=,.@:\\/-]*");
      }
      context.put("sts:ExternalId", List.of(externalId));
    }
    if (requested.sourceIdentity() != null) {
      context.put("sts:SourceIdentity", List.of(requested.sourceIdentity()));
    }
    List<AttachedPolicy> trust = trustPolicy(role);
    Decision decision = permissions.authorize(caller, origin, "sts:AssumeRole", role.arn(), role.accountId(), trust,
        context);
    if (!decision.allowed()) {
      throw new WharfException.AccessDenied(denied);
    }
    authorizeScope(caller, origin, requested, role.arn(), role.accountId(), trust, context);
    checkDuration(role, duration);
    if (caller instanceof Principal.AssumedRole && duration > CHAINED_MAX_DURATION) {
      throw new WharfException.Invalid("ValidationError",
          "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    }
    return new AssumedRole(credentials.issueRoleSession(role, sessionName, Duration.ofSeconds(duration), scope), decision);
  }

  /**
   * GetSessionToken: temporary credentials for an IAM user, acting as the user with the user's policies. No
   * permission is needed, as in AWS; session credentials cannot ask for more.
   */
  public CredentialService.SessionCredentials getSessionToken(Principal caller, Integer durationSeconds) {
    Principal.User user = longTermUser(caller, "GetSessionToken");
    int duration = checkDuration(durationSeconds, DEFAULT_USER_SESSION_DURATION, MAX_USER_SESSION_DURATION);
    return credentials.issueUserSession(user, Duration.ofSeconds(duration));
  }

  /**
   * GetFederationToken: a federated user {@code arn:aws:sts::ACCT:federated-user/NAME} acting for the calling
   * IAM user. Its permissions are the intersection of the user's policies and the session policies passed
   * (none passed: none through identity policies), as in AWS. The caller's sts:GetFederationToken permission is
   * checked where the operation is declared; session tags need sts:TagSession too.
   */
  public CredentialService.SessionCredentials getFederationToken(Principal caller,
      PermissionService.RequestOrigin origin, String name, Integer durationSeconds, SessionScope requested) {
    Principal.User user = longTermUser(caller, "GetFederationToken");
    if (name == null || !FEDERATED_NAME.matcher(name).matches()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + name
          + "' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
          + " and have length between 2 and 32");
    }
    if (!requested.transitiveTagKeys().isEmpty() || requested.sourceIdentity() != null) {
      throw new WharfException.Invalid("ValidationError",
          "GetFederationToken takes neither TransitiveTagKeys nor SourceIdentity");
    }
    int duration = checkDuration(durationSeconds, DEFAULT_USER_SESSION_DURATION, MAX_USER_SESSION_DURATION);
    SessionScope scope = checkScope(requested);
    String arn = "arn:aws:sts::" + user.accountId() + ":federated-user/" + name;
    authorizeScope(caller, origin, requested, arn, user.accountId(), List.of(), Map.of());
    return credentials.issueFederatedSession(user, name, Duration.ofSeconds(duration), scope);
  }

  /** The packed size of a session's policies and tags, as a percentage of what a session may carry. */
  public static int packedPolicySize(SessionScope scope) {
    return (int) Math.ceil(PrincipalCodec.pack(scope).length * 100.0 / PrincipalCodec.MAX_PACKED_SCOPE);
  }

  private static Principal.User longTermUser(Principal caller, String action) {
    return switch (caller) {
      case Principal.User user when user.session() == null -> user;
      case Principal.User user -> throw new WharfException.AccessDenied(
          "Cannot call " + action + " with session credentials");
      case Principal.AssumedRole role -> throw new WharfException.AccessDenied(
          "Cannot call " + action + " with session credentials");
      case Principal.FederatedUser federated -> throw new WharfException.AccessDenied(
          "Cannot call " + action + " with session credentials");
      case Principal.Root root -> throw new WharfException.AccessDenied(
          "Wharf issues " + action + " credentials to IAM users only, not to the root user");
    };
  }

  /** Validates what a session is given, as STS does; returns it. */
  private SessionScope checkScope(SessionScope requested) {
    String policy = requested.policy();
    if (policy != null) {
      if (policy.isEmpty() || policy.length() > MAX_SESSION_POLICY) {
        throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'policy' failed to"
            + " satisfy constraint: Member must have length between 1 and " + MAX_SESSION_POLICY);
      }
      try {
        PolicyDocument.parseNew(policy, PolicyKind.IDENTITY);
      } catch (MalformedPolicyException e) {
        throw new WharfException.Invalid("MalformedPolicyDocument", e.getMessage());
      }
    }
    if (requested.policyArns().size() > MAX_SESSION_POLICY_ARNS) {
      throw new WharfException.Invalid("ValidationError",
          "The number of managed session policies must not exceed " + MAX_SESSION_POLICY_ARNS);
    }
    for (String arn : requested.policyArns()) {
      if (arn == null || store.findManagedPolicy(arn).isEmpty()) {
        throw new WharfException.Invalid("ValidationError", "Managed policy " + arn + " does not exist");
      }
    }
    if (requested.tags().size() > MAX_SESSION_TAGS) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'tags' failed to"
          + " satisfy constraint: Member must have length less than or equal to " + MAX_SESSION_TAGS);
    }
    Set<String> keys = new HashSet<>();
    requested.tags().forEach((key, value) -> {
      if (!TAG_KEY.matcher(key).matches() || value == null || !TAG_VALUE.matcher(value).matches()) {
        throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value at 'tags' failed to"
            + " satisfy constraint: each Key must have length between 1 and 128 and each Value at most 256, of"
            + " letters, digits, spaces and _.:/=+-@");
      }
      if (key.regionMatches(true, 0, "aws:", 0, 4)) {
        throw new WharfException.Invalid("InvalidParameterValue", "Tag keys beginning with aws: are reserved");
      }
      if (!keys.add(key.toLowerCase(Locale.ROOT))) {
        throw new WharfException.Invalid("InvalidParameterValue", "Duplicate tag keys found. Please note that Tag keys"
            + " are case insensitive.");
      }
    });
    for (String key : requested.transitiveTagKeys()) {
      if (!keys.contains(key.toLowerCase(Locale.ROOT))) {
        throw new WharfException.Invalid("InvalidParameterValue",
            "The specified transitive tag key must be included in the requested tags.");
      }
    }
    String source = requested.sourceIdentity();
    if (source != null && !SOURCE_IDENTITY.matcher(source).matches()) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + source
          + "' at 'sourceIdentity' failed to satisfy constraint: Member must satisfy regular expression pattern:"
          + " [\\w+=,.@-]* and have length between 2 and 64");
    }
    int packed = packedPolicySize(requested);
    if (packed > 100) {
      throw new WharfException.Invalid("PackedPolicyTooLarge",
          "Packed size of session policies and tags: " + packed + "% of the allowed size");
    }
    return requested;
  }

  /**
   * A chained session keeps its caller's transitive tags (which it may not override) and source identity
   * (which it may not change).
   */
  private static SessionScope chained(Principal caller, SessionScope requested) {
    Principal.Session session = caller.session();
    if (session == null) {
      return requested;
    }
    SessionScope inherited = session.scope();
    Map<String, String> tags = new LinkedHashMap<>(requested.tags());
    Set<String> transitive = new HashSet<>(requested.transitiveTagKeys());
    for (String key : inherited.transitiveTagKeys()) {
      for (String asked : requested.tags().keySet()) {
        if (asked.equalsIgnoreCase(key)) {
          throw new WharfException.Invalid("InvalidParameterValue",
              "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key"
                  + " from the calling session");
        }
      }
      tags.put(key, inherited.tags().get(key));
      transitive.add(key);
    }
    String source = requested.sourceIdentity();
    if (inherited.sourceIdentity() != null) {
      if (source != null && !source.equals(inherited.sourceIdentity())) {
        throw new WharfException.AccessDenied("The source identity of a chained session cannot be changed: it is "
            + inherited.sourceIdentity());
      }
      source = inherited.sourceIdentity();
    }
    return new SessionScope(requested.policy(), requested.policyArns(), tags, transitive, source);
  }

  /** Session tags need sts:TagSession, a source identity sts:SetSourceIdentity, from the same policies. */
  private void authorizeScope(Principal caller, PermissionService.RequestOrigin origin, SessionScope requested,
      String resource, String resourceAccountId, List<AttachedPolicy> resourcePolicies,
      Map<String, List<String>> baseContext) {
    if (!requested.tags().isEmpty()) {
      Map<String, List<String>> context = new HashMap<>(baseContext);
      requested.tags().forEach((key, value) -> context.put("aws:RequestTag/" + key, List.of(value)));
      context.put("aws:TagKeys", List.copyOf(requested.tags().keySet()));
      requireAllowed(caller, origin, "sts:TagSession", resource, resourceAccountId, resourcePolicies, context);
    }
    if (requested.sourceIdentity() != null) {
      requireAllowed(caller, origin, "sts:SetSourceIdentity", resource, resourceAccountId, resourcePolicies,
          baseContext);
    }
  }

  private void requireAllowed(Principal caller, PermissionService.RequestOrigin origin, String action, String resource,
      String resourceAccountId, List<AttachedPolicy> resourcePolicies, Map<String, List<String>> context) {
    Decision decision = permissions.authorize(caller, origin, action, resource, resourceAccountId, resourcePolicies,
        context);
    if (!decision.allowed()) {
      throw PermissionService.denied(caller, action, resource, decision);
    }
  }

  /**
   * AssumeRoleWithWebIdentity, an unsigned call: the token is verified against a provider registered
   * in the role's account, then the role's trust policy must allow the provider as
   * {@code Principal.Federated}, with the token's claims as the provider's condition keys
   * ({@code HOST/PATH:sub}, {@code :aud}, {@code :amr}) and {@code sts:RoleSessionName}.
   */
  public WebIdentitySession assumeRoleWithWebIdentity(PermissionService.RequestOrigin origin, String roleArn,
      String sessionName, String webIdentityToken, Integer durationSeconds, SessionScope requested) {
    int duration = checkRequest(roleArn, sessionName, durationSeconds);
    SessionScope scope = checkScope(requested);
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
    return new WebIdentitySession(credentials.issueRoleSession(role, sessionName, Duration.ofSeconds(duration), scope), decision,
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
    return checkDuration(durationSeconds, DEFAULT_DURATION, MAX_ROLE_SESSION_DURATION);
  }

  private static int checkDuration(Integer durationSeconds, int defaultDuration, int maxDuration) {
    int duration = durationSeconds == null ? defaultDuration : durationSeconds;
    if (duration < 900) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + duration
          + "' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900");
    }
    if (duration > maxDuration) {
      throw new WharfException.Invalid("ValidationError", "1 validation error detected: Value '" + duration
          + "' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to "
          + maxDuration);
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
