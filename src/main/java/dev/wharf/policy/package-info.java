/**
 * The IAM policy language: {@link dev.wharf.policy.PolicyDocument#parse parsing and validation} of identity,
 * resource and trust policies, and the {@link dev.wharf.policy.PolicyEvaluator evaluator} that answers "may this
 * principal do this action on this resource?" the way AWS does.
 *
 * <p>Everything that can be prepared is prepared at parse time (wildcard patterns, principal sets, numbers, dates,
 * CIDR blocks), so an evaluation walks arrays and compares strings without building regexes.
 *
 * <p>Choices where AWS documents little, made to fail closed or to stay predictable:
 *
 * <ul>
 *   <li>A policy variable without a value (and without a default) makes its Resource pattern match nothing, and
 *       makes the whole condition (one operator on one key) false, whether or not the operator is negated.
 *   <li>Policy variables are substituted in Resource/NotResource and in the values of String and Arn operators
 *       only; a substituted value always matches literally, never as a wildcard.
 *   <li>ArnEquals and ArnLike both compare the six colon-separated components separately with wildcards; a policy
 *       value with fewer components only matches if it has no colon at all (such as {@code *}).
 *   <li>When the context lacks them, {@code aws:PrincipalAccount}, {@code aws:PrincipalArn} (the role ARN for a
 *       role session) and {@code aws:username} (IAM users only) are derived from the caller.
 *   <li>{@code NotPrincipal} spares a caller it names by ARN or by account; {@code Service} and {@code Federated}
 *       principals never match an IAM caller.
 *   <li>Under limits (a permissions boundary, a session policy), a resource-policy grant is unlimited only when it
 *       names the caller's own ARN (the user, or the role session); {@code Principal: "*"} is limited, like a grant
 *       to the role.
 *   <li>A permissions boundary whose policy cannot be read is an empty limit: it allows nothing.
 * </ul>
 */
package dev.wharf.policy;
