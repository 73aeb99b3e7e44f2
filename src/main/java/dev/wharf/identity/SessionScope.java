package dev.wharf.identity;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a temporary session was given when STS issued it, beyond its principal.
 *
 * @param policy the inline session policy (JSON as passed), or null
 * @param policyArns the managed session policies, by ARN; evaluated at their current default version
 * @param tags the session tags ({@code aws:PrincipalTag/KEY} in conditions), keys as given
 * @param transitiveTagKeys the session tags that pass on to a role chained from this session
 * @param sourceIdentity the source identity (sts:SourceIdentity, aws:SourceIdentity), or null
 */
public record SessionScope(String policy, List<String> policyArns, Map<String, String> tags,
    Set<String> transitiveTagKeys, String sourceIdentity) {

  /** A session given nothing: no session policies, tags or source identity. */
  public static final SessionScope NONE = new SessionScope(null, List.of(), Map.of(), Set.of(), null);

  public SessionScope {
    policyArns = List.copyOf(Objects.requireNonNull(policyArns, "policyArns"));
    tags = Map.copyOf(Objects.requireNonNull(tags, "tags"));
    transitiveTagKeys = Set.copyOf(Objects.requireNonNull(transitiveTagKeys, "transitiveTagKeys"));
  }

  /** Whether session policies were passed: then they bound what identity policies grant. */
  public boolean hasSessionPolicies() {
    return policy != null || !policyArns.isEmpty();
  }
}
