package dev.wharf.identity.http;

import dev.wharf.api.aws.QueryOperation;
import dev.wharf.api.aws.QueryOperation.Resource;
import dev.wharf.api.aws.QueryRequest;
import dev.wharf.api.aws.XmlBuilder;
import dev.wharf.identity.PolicySimulator;
import dev.wharf.policy.Decision;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** IAM's policy simulator actions: parse the input, call {@link PolicySimulator}, render AWS's results. */
public final class PolicySimulationEndpoints {
  private final PolicySimulator simulator;

  public PolicySimulationEndpoints(PolicySimulator simulator) {
    this.simulator = Objects.requireNonNull(simulator, "simulator");
  }

  public List<QueryOperation> operations() {
    return List.of(
        IamEndpoints.op("SimulatePrincipalPolicy",
            r -> new Resource(r.required("PolicySourceArn"), r.principal().accountId()),
            (r, x) -> render(r, x, simulator.simulatePrincipal(r.principal(), r.required("PolicySourceArn"), input(r)))),
        IamEndpoints.op("SimulateCustomPolicy", r -> new Resource("*", r.principal().accountId()),
            (r, x) -> render(r, x, simulator.simulateCustom(r.principal(), input(r)))));
  }

  private static PolicySimulator.Input input(QueryRequest r) {
    r.refuseUnsupported("ResourceHandlingOption");
    Map<String, List<String>> context = new HashMap<>();
    for (int i = 1; r.optional("ContextEntries.member." + i + ".ContextKeyName") != null; i++) {
      String entry = "ContextEntries.member." + i;
      context.put(r.optional(entry + ".ContextKeyName"), r.members(entry + ".ContextKeyValues"));
    }
    return new PolicySimulator.Input(r.members("PolicyInputList"), r.members("PermissionsBoundaryPolicyInputList"),
        r.members("ActionNames"), r.members("ResourceArns"), r.optional("ResourcePolicy"), r.optional("ResourceOwner"),
        r.optional("CallerArn"), context);
  }

  private static void render(QueryRequest r, XmlBuilder x, List<PolicySimulator.Result> results) {
    IamEndpoints.page(r, x, "EvaluationResults", results, (m, result) -> {
      Decision decision = result.decision();
      m.text("EvalActionName", result.action())
          .text("EvalResourceName", result.resource())
          .text("EvalDecision", switch (decision.outcome()) {
            case ALLOW -> "allowed";
            case EXPLICIT_DENY -> "explicitDeny";
            case IMPLICIT_DENY -> "implicitDeny";
          })
          .element("MatchedStatements", statements -> {
            if (decision.policyName() != null) {
              statements.element("member", s -> s.text("SourcePolicyId", result.sourcePolicyId())
                  .text("SourcePolicyType", result.sourcePolicyType()));
            }
          })
          .element("MissingContextValues", keys -> result.missingContextValues().forEach(k -> keys.text("member", k)));
      if (result.allowedByBoundary() != null) {
        m.element("PermissionsBoundaryDecisionDetail",
            d -> d.text("AllowedByPermissionsBoundary", result.allowedByBoundary()));
      }
    });
  }
}
