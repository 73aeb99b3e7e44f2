package dev.wharf.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Turns policy JSON into a compiled {@link PolicyDocument}, refusing anything outside the IAM grammar. */
final class PolicyParser {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private static final Set<String> DOCUMENT_FIELDS = Set.of("Version", "Id", "Statement");
    private static final Set<String> STATEMENT_FIELDS = Set.of(
            "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource",
            "Condition");
    private static final Set<String> PRINCIPAL_TYPES = Set.of("AWS", "Service", "Federated");
    private static final Pattern SID = Pattern.compile("[A-Za-z0-9]+");
    private static final Pattern ACTION = Pattern.compile("[A-Za-z0-9-]+:[A-Za-z0-9*?]+");

    /** The most digits a condition number may have written out: far more than any policy written by hand needs. */
    private static final int MAX_NUMBER_DIGITS = 1024;

    private PolicyParser() {}

    static PolicyDocument parse(String json, PolicyKind kind) throws MalformedPolicyException {
        if (json == null || json.isBlank()) {
            throw new MalformedPolicyException("Policy document is empty");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedPolicyException("Policy document is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (NumberFormatException e) { // a number Jackson cannot hold as a BigDecimal, e.g. 4e44444444444
            throw new MalformedPolicyException("Policy document is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedPolicyException("Policy document must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!DOCUMENT_FIELDS.contains(name)) {
                throw new MalformedPolicyException("Unknown top-level field " + name);
            }
        }
        String version = PolicyDocument.VERSION_2008_10_17;
        JsonNode versionNode = root.get("Version");
        if (versionNode != null) {
            if (!versionNode.isTextual()
                    || !(versionNode.asText().equals(PolicyDocument.VERSION_2012_10_17)
                            || versionNode.asText().equals(PolicyDocument.VERSION_2008_10_17))) {
                throw new MalformedPolicyException("Unsupported Version " + versionNode
                        + ": expected \"2012-10-17\" or \"2008-10-17\"");
            }
            version = versionNode.asText();
        }
        String id = null;
        JsonNode idNode = root.get("Id");
        if (idNode != null) {
            if (!idNode.isTextual()) {
                throw new MalformedPolicyException("Id must be a string");
            }
            id = idNode.asText();
        }
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) {
            throw new MalformedPolicyException("Missing required field Statement");
        }
        List<JsonNode> statementNodes = new ArrayList<>();
        if (statementNode.isObject()) {
            statementNodes.add(statementNode);
        } else if (statementNode.isArray()) {
            statementNode.forEach(statementNodes::add);
            if (statementNodes.isEmpty()) {
                throw new MalformedPolicyException("Statement must not be an empty list");
            }
        } else {
            throw new MalformedPolicyException("Statement must be an object or a list of objects");
        }
        boolean variables = version.equals(PolicyDocument.VERSION_2012_10_17);
        Set<String> sids = new HashSet<>();
        List<Statement> statements = new ArrayList<>(statementNodes.size());
        for (int i = 0; i < statementNodes.size(); i++) {
            int index = i + 1;
            try {
                statements.add(parseStatement(index, statementNodes.get(i), kind, variables, sids));
            } catch (MalformedPolicyException e) {
                throw new MalformedPolicyException("Statement " + index + ": " + e.getMessage(), e.getCause());
            }
        }
        return new PolicyDocument(version, id, statements);
    }

    private static Statement parseStatement(
            int index, JsonNode node, PolicyKind kind, boolean variables, Set<String> sids)
            throws MalformedPolicyException {
        if (!node.isObject()) {
            throw new MalformedPolicyException("must be a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!STATEMENT_FIELDS.contains(name)) {
                throw new MalformedPolicyException("unknown field " + name);
            }
        }
        String sid = null;
        JsonNode sidNode = node.get("Sid");
        if (sidNode != null) {
            if (!sidNode.isTextual() || !SID.matcher(sidNode.asText()).matches()) {
                throw new MalformedPolicyException("Sid " + sidNode + " must be a non-empty alphanumeric string");
            }
            sid = sidNode.asText();
            if (!sids.add(sid)) {
                throw new MalformedPolicyException("duplicate Sid " + sid);
            }
        }

        JsonNode effectNode = node.get("Effect");
        if (effectNode == null) {
            throw new MalformedPolicyException("missing required field Effect");
        }
        Statement.Effect effect = switch (effectNode.isTextual() ? effectNode.asText() : "") {
            case "Allow" -> Statement.Effect.ALLOW;
            case "Deny" -> Statement.Effect.DENY;
            default -> throw new MalformedPolicyException("Effect must be \"Allow\" or \"Deny\", not " + effectNode);
        };

        // Principal
        JsonNode principalNode = node.get("Principal");
        JsonNode notPrincipalNode = node.get("NotPrincipal");
        PrincipalMatcher principal = null;
        if (kind == PolicyKind.IDENTITY) {
            refuseElement("Principal", principalNode, notPrincipalNode, "an identity policy");
        } else {
            requireOneElement("Principal", principalNode, notPrincipalNode,
                    " in a " + (kind == PolicyKind.TRUST ? "trust" : "resource") + " policy");
            principal = principalNode != null
                    ? parsePrincipal(principalNode, "Principal")
                    : parsePrincipal(notPrincipalNode, "NotPrincipal");
        }

        // Action
        JsonNode actionNode = node.get("Action");
        JsonNode notActionNode = node.get("NotAction");
        requireOneElement("Action", actionNode, notActionNode, "");
        String actionElement = actionNode != null ? "Action" : "NotAction";
        List<PolicyPattern> actions = new ArrayList<>();
        for (String action : strings(actionNode != null ? actionNode : notActionNode, actionElement)) {
            if (!action.equals("*") && !ACTION.matcher(action).matches()) {
                throw new MalformedPolicyException(
                        "invalid action \"" + action + "\" in " + actionElement + ": expected service:Action or *");
            }
            if (kind == PolicyKind.TRUST && !action.regionMatches(true, 0, "sts:", 0, 4)) {
                throw new MalformedPolicyException(
                        "a trust policy allows only sts: actions, not \"" + action + "\"");
            }
            actions.add(PolicyPattern.compile(action, true, false));
        }

        // Resource
        JsonNode resourceNode = node.get("Resource");
        JsonNode notResourceNode = node.get("NotResource");
        List<PolicyPattern> resources = null;
        if (kind == PolicyKind.TRUST) {
            refuseElement("Resource", resourceNode, notResourceNode, "a trust policy");
        } else {
            requireOneElement("Resource", resourceNode, notResourceNode, "");
            String resourceElement = resourceNode != null ? "Resource" : "NotResource";
            resources = new ArrayList<>();
            for (String resource : strings(resourceNode != null ? resourceNode : notResourceNode, resourceElement)) {
                if (!resource.equals("*") && !(resource.startsWith("arn:") && colons(resource) >= 5)) {
                    throw new MalformedPolicyException("invalid resource \"" + resource + "\" in " + resourceElement
                            + ": expected an ARN (arn:partition:service:region:account:resource) or *");
                }
                resources.add(PolicyPattern.compile(resource, true, variables));
            }
        }

        List<Condition> conditions = parseConditions(node.get("Condition"), variables);
        return new Statement(
                index,
                sid,
                effect,
                principal,
                notPrincipalNode != null,
                actions,
                notActionNode != null,
                resources,
                notResourceNode != null,
                conditions);
    }

    private static PrincipalMatcher parsePrincipal(JsonNode node, String element) throws MalformedPolicyException {
        if (node.isTextual()) {
            if (node.asText().equals("*")) {
                return PrincipalMatcher.everyone();
            }
            throw new MalformedPolicyException(element + " must be \"*\" or an object such as {\"AWS\": \"...\"}, not "
                    + node);
        }
        if (!node.isObject() || node.isEmpty()) {
            throw new MalformedPolicyException(
                    element + " must be \"*\" or a non-empty object such as {\"AWS\": \"...\"}");
        }
        List<String> aws = List.of();
        List<String> services = List.of();
        List<String> federated = List.of();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String type = field.getKey();
            if (!PRINCIPAL_TYPES.contains(type)) {
                throw new MalformedPolicyException(
                        "unknown principal type " + type + " in " + element + ": expected AWS, Service or Federated");
            }
            List<String> values = strings(field.getValue(), element + "." + type);
            switch (type) {
                case "AWS" -> aws = values;
                case "Service" -> services = values;
                default -> federated = values;
            }
        }
        return PrincipalMatcher.of(aws, services, federated, element);
    }

    private static List<Condition> parseConditions(JsonNode node, boolean variables)
            throws MalformedPolicyException {
        if (node == null) {
            return List.of();
        }
        if (!node.isObject()) {
            throw new MalformedPolicyException("Condition must be an object of operators");
        }
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, JsonNode> operator : node.properties()) {
            String operatorName = operator.getKey();
            JsonNode keys = operator.getValue();
            if (!keys.isObject() || keys.isEmpty()) {
                // Check the name first so that a misspelt operator is reported as such.
                Condition.compile(operatorName, "aws:placeholder", List.of("placeholder"), false);
                throw new MalformedPolicyException(
                        "condition " + operatorName + " must be a non-empty object of condition keys");
            }
            for (Map.Entry<String, JsonNode> entry : keys.properties()) {
                List<String> values = conditionValues(entry.getValue(), operatorName, entry.getKey());
                conditions.add(Condition.compile(operatorName, entry.getKey(), values, variables));
            }
        }
        return conditions;
    }

    private static List<String> conditionValues(JsonNode node, String operator, String key)
            throws MalformedPolicyException {
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode element : node) {
                values.add(scalar(element, operator, key));
            }
        } else {
            values.add(scalar(node, operator, key));
        }
        return values;
    }

    private static String scalar(JsonNode node, String operator, String key) throws MalformedPolicyException {
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isNumber()) {
            if (!node.isBigDecimal()) {
                return node.asText();
            }
            java.math.BigDecimal number = node.decimalValue();
            // written out in full, 1e999999999 is a billion digits: far beyond any policy's size limit
            if ((long) number.precision() + Math.abs((long) number.scale()) > MAX_NUMBER_DIGITS) {
                throw new MalformedPolicyException("condition " + operator + " on " + key + " has a number of more than "
                        + MAX_NUMBER_DIGITS + " digits");
            }
            return number.toPlainString();
        }
        if (node.isBoolean()) {
            return node.asText();
        }
        throw new MalformedPolicyException("condition " + operator + " on " + key
                + " has a value that is not a string, number or boolean: " + node);
    }

    /** Refuses a statement that has the element or its Not form where neither belongs (e.g. "an identity policy"). */
    private static void refuseElement(String element, JsonNode node, JsonNode notNode, String policy)
            throws MalformedPolicyException {
        if (node != null || notNode != null) {
            throw new MalformedPolicyException((node != null ? element : "Not" + element) + " is not allowed in " + policy);
        }
    }

    /** Requires exactly one of the element and its Not form; {@code where} ends the message when both are missing. */
    private static void requireOneElement(String element, JsonNode node, JsonNode notNode, String where)
            throws MalformedPolicyException {
        if (node != null && notNode != null) {
            throw new MalformedPolicyException("has both " + element + " and Not" + element + "; use exactly one");
        }
        if (node == null && notNode == null) {
            throw new MalformedPolicyException("missing required field " + element + " (or Not" + element + ")" + where);
        }
    }

    /** A string or a non-empty list of strings. */
    private static List<String> strings(JsonNode node, String element) throws MalformedPolicyException {
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (node.isArray()) {
            if (node.isEmpty()) {
                throw new MalformedPolicyException(element + " must not be an empty list");
            }
            List<String> values = new ArrayList<>(node.size());
            for (JsonNode value : node) {
                if (!value.isTextual()) {
                    throw new MalformedPolicyException(element + " must contain only strings, found " + value);
                }
                values.add(value.asText());
            }
            return values;
        }
        throw new MalformedPolicyException(element + " must be a string or a list of strings, found " + node);
    }

    private static int colons(String text) {
        int count = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ':') {
                count++;
            }
        }
        return count;
    }
}
