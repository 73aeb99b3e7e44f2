package dev.wharf.identity;

import dev.wharf.error.WharfException;
import dev.wharf.policy.AttachedPolicy;
import dev.wharf.policy.AuthorizationRequest;
import dev.wharf.policy.CallerPrincipal;
import dev.wharf.policy.ConditionContext;
import dev.wharf.policy.Decision;
import dev.wharf.policy.MalformedPolicyException;
import dev.wharf.policy.MissingContextKeys;
import dev.wharf.policy.PolicyDocument;
import dev.wharf.policy.PolicyEvaluator;
import dev.wharf.policy.PolicyKind;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IAM's policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy): the same evaluator and the same
 * policies that decide real requests, asked about actions and resources without performing them, so that an
 * operator can see why a call or a token was refused and which statement decided.
 */
public final class PolicySimulator {
  /** At most this many action-resource pairs are simulated in one call. */
  public static final int MAX_EVALUATIONS = 1000;
  private static final Pattern PRINCIPAL_ARN =
      Pattern.compile("arn:aws:iam::([0-9]{12}):(user|role|group)(/|/.*/)([\\w+=,.@-]{1,128})");
  private static final Pattern ACCOUNT = Pattern.compile("(?:arn:aws:iam::)?([0-9]{12})(?::root)?");

  private final IdentityStore store;
  private final PermissionService permissions;
  private final Clock clock;
  private final PolicyEvaluator evaluator = new PolicyEvaluator();

  public PolicySimulator(IdentityStore store, PermissionService permissions, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.permissions = Objects.requireNonNull(permissions, "permissions");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What to simulate.
   *
   * @param policies identity policies to add (SimulatePrincipalPolicy) or to use (SimulateCustomPolicy), as JSON
   * @param boundaries permissions boundaries to use instead of the principal's own, as JSON; empty: its own
   * @param actions the actions, e.g. {@code codeartifact:ReadFromRepository}
   * @param resources the resource ARNs; empty means {@code *}
   * @param resourcePolicy a resource policy to evaluate with, or null
   * @param resourceOwner the account (or its root ARN) that owns the resources, or null for the caller's
   * @param callerArn the IAM user the resource policy sees as the caller, or null
   * @param context condition keys to set, overriding what the principal itself sets
   */
  public record Input(List<String> policies, List<String> boundaries, List<String> actions, List<String> resources,
      String resourcePolicy, String resourceOwner, String callerArn, Map<String, List<String>> context) {
    public Input {
      policies = List.copyOf(policies);
      boundaries = List.copyOf(boundaries);
      actions = List.copyOf(actions);
      resources = resources.isEmpty() ? List.of("*") : List.copyOf(resources);
      context = Map.copyOf(context);
    }
  }

  /**
   * One action on one resource: the decision, the statement that made it (none for an implicit deny), the
   * condition keys the policies read that the context lacked, and whether the boundary allowed it (null when
   * there is none).
   */
  public record Result(String action, String resource, Decision decision, String sourcePolicyId,
      String sourcePolicyType, List<String> missingContextValues, Boolean allowedByBoundary) {}

  /** SimulatePrincipalPolicy: the policies of a user, role or group of the caller's account, plus the input's. */
  public List<Result> simulatePrincipal(Principal caller, String policySourceArn, Input input) {
    Matcher arn = PRINCIPAL_ARN.matcher(policySourceArn == null ? "" : policySourceArn);
    if (!arn.matches() || !arn.group(1).equals(caller.accountId())) {
      throw new WharfException.Invalid("InvalidInput",
          "PolicySourceArn must be a user, group or role of this account: " + policySourceArn);
    }
    String name = arn.group(4);
    Principal source = switch (arn.group(2)) {
      case "user" -> store.findUser(arn.group(1), name).filter(user -> user.path().equals(arn.group(3)))
          .map(IamUser::principal).orElseThrow(() -> noSuchEntity(policySourceArn));
      case "role" -> store.findRole(arn.group(1), name).filter(role -> role.path().equals(arn.group(3)))
          .map(role -> (Principal) new Principal.AssumedRole(role.accountId(), role.roleName(), role.roleId(),
              role.path(), "simulation", new Principal.Session(clock.instant(),
                  clock.instant().plus(Duration.ofHours(1)), SessionScope.NONE)))
          .orElseThrow(() -> noSuchEntity(policySourceArn));
      default -> throw new WharfException.Invalid("InvalidInput",
          "Wharf simulates users and roles; group policies apply to their users, so simulate a member");
    };
    List<AttachedPolicy> identity = new ArrayList<>(permissions.identityPoliciesOf(source));
    identity.addAll(parse(input.policies(), "PolicyInputList", PolicyKind.IDENTITY));
    List<List<AttachedPolicy>> limits = input.boundaries().isEmpty()
        ? permissions.limitsOf(source)
        : List.of(parse(input.boundaries(), "PermissionsBoundaryPolicyInputList", PolicyKind.IDENTITY));
    CallerPrincipal callerPrincipal = input.callerArn() == null
        ? PermissionService.callerPrincipal(source)
        : callerUser(input.callerArn());
    return simulate(input, permissions.principalContext(source), callerPrincipal, identity, limits, caller.accountId());
  }

  /** SimulateCustomPolicy: the input's policies alone, for a caller that is the input's CallerArn, if any. */
  public List<Result> simulateCustom(Principal caller, Input input) {
    if (input.policies().isEmpty()) {
      throw new WharfException.Invalid("ValidationError",
          "1 validation error detected: Value null at 'policyInputList' failed to satisfy constraint: Member must not be null");
    }
    if (input.resourcePolicy() != null && input.callerArn() == null) {
      throw new WharfException.Invalid("InvalidInput", "CallerArn is required with a ResourcePolicy: the policy's"
          + " Principal element needs a caller to match");
    }
    CallerPrincipal callerPrincipal = input.callerArn() == null
        ? new CallerPrincipal(caller.accountId(), IamArns.user(caller.accountId(), "/", "SimulatedUser"), false, Set.of())
        : callerUser(input.callerArn());
    List<List<AttachedPolicy>> limits = input.boundaries().isEmpty()
        ? List.of()
        : List.of(parse(input.boundaries(), "PermissionsBoundaryPolicyInputList", PolicyKind.IDENTITY));
    ConditionContext.Builder context = ConditionContext.builder()
        .put("aws:PrincipalAccount", callerPrincipal.accountId())
        .put("aws:PrincipalArn", callerPrincipal.arn());
    return simulate(input, context, callerPrincipal, parse(input.policies(), "PolicyInputList", PolicyKind.IDENTITY),
        limits, caller.accountId());
  }

  private List<Result> simulate(Input input, ConditionContext.Builder context, CallerPrincipal callerPrincipal,
      List<AttachedPolicy> identity, List<List<AttachedPolicy>> limits, String callerAccount) {
    if (input.actions().isEmpty()) {
      throw new WharfException.Invalid("ValidationError",
          "1 validation error detected: Value null at 'actionNames' failed to satisfy constraint: Member must not be null");
    }
    if ((long) input.actions().size() * input.resources().size() > MAX_EVALUATIONS) {
      throw new WharfException.Invalid("InvalidInput", "At most " + MAX_EVALUATIONS
          + " action-resource pairs may be simulated in one call");
    }
    input.context().forEach(context::put);
    ConditionContext conditions = context.build();
    List<AttachedPolicy> resourcePolicies = input.resourcePolicy() == null
        ? List.of()
        : parse(List.of(input.resourcePolicy()), "ResourcePolicy", PolicyKind.RESOURCE);
    String owner = owner(input.resourceOwner(), callerAccount);
    List<List<AttachedPolicy>> read = new ArrayList<>(limits);
    read.add(identity);
    read.add(resourcePolicies);
    List<Result> results = new ArrayList<>();
    for (String action : input.actions()) {
      for (String resource : input.resources()) {
        AuthorizationRequest request = new AuthorizationRequest(action, resource, callerPrincipal, conditions);
        Decision decision = evaluator.evaluate(request, identity, limits, resourcePolicies, owner);
        Boolean boundary = null;
        if (!limits.isEmpty()) {
          boundary = true;
          for (List<AttachedPolicy> limit : limits) {
            boundary &= evaluator.evaluate(request, limit, List.of(), owner).allowed();
          }
        }
        results.add(new Result(action, resource, decision, sourceId(decision.policyName()),
            sourceType(decision.policyName(), resourcePolicies),
            MissingContextKeys.of(request, read), boundary));
      }
    }
    return results;
  }

  private static List<AttachedPolicy> parse(List<String> documents, String parameter, PolicyKind kind) {
    List<AttachedPolicy> policies = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      String name = parameter.equals("ResourcePolicy") ? parameter : parameter + "." + (i + 1);
      try {
        policies.add(new AttachedPolicy(name, PolicyDocument.parseNew(documents.get(i), kind)));
      } catch (MalformedPolicyException e) {
        throw new WharfException.Invalid("MalformedPolicyDocument", name + ": " + e.getMessage());
      }
    }
    return policies;
  }

  private static CallerPrincipal callerUser(String callerArn) {
    Matcher arn = PRINCIPAL_ARN.matcher(callerArn);
    if (!arn.matches() || !arn.group(2).equals("user")) {
      throw new WharfException.Invalid("InvalidInput", "CallerArn must be the ARN of an IAM user: " + callerArn);
    }
    return new CallerPrincipal(arn.group(1), callerArn, false, Set.of(callerArn));
  }

  private static String owner(String resourceOwner, String callerAccount) {
    if (resourceOwner == null) {
      return callerAccount;
    }
    Matcher account = ACCOUNT.matcher(resourceOwner);
    if (!account.matches()) {
      throw new WharfException.Invalid("InvalidInput", "ResourceOwner must be an account ID or its root ARN: "
          + resourceOwner);
    }
    return account.group(1);
  }

  /** IAM's SourcePolicyId: an inline policy by its name, a managed policy by its ARN, an input by its position. */
  private static String sourceId(String policyName) {
    if (policyName == null) {
      return null;
    }
    int inline = policyName.indexOf("/inline/");
    return inline < 0 ? policyName : policyName.substring(inline + "/inline/".length());
  }

  /** IAM's SourcePolicyType for the policy that decided, from the names the policy sources give. */
  private static String sourceType(String policyName, List<AttachedPolicy> resourcePolicies) {
    if (policyName == null) {
      return null;
    }
    for (AttachedPolicy policy : resourcePolicies) {
      if (policy.name().equals(policyName)) {
        return "resource";
      }
    }
    if (policyName.startsWith("arn:aws:iam::aws:policy/")) {
      return "aws-managed";
    }
    if (policyName.startsWith("arn:aws:iam::")) {
      return "user-managed";
    }
    for (PrincipalType type : PrincipalType.values()) {
      if (policyName.startsWith(type.column() + "/")) { // an inline policy, named TYPE/NAME/inline/POLICY
        return type.column();
      }
    }
    return "none";
  }

  private static WharfException noSuchEntity(String arn) {
    return new WharfException.NotFound("NoSuchEntity", "The entity " + arn + " cannot be found.", "entity", arn);
  }
}
