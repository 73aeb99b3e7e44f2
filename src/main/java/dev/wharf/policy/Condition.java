package dev.wharf.policy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One operator applied to one condition key, e.g. {@code "StringLike": {"aws:username": ["a*", "b*"]}},
 * with its values pre-compiled for the operator's family.
 */
final class Condition {

    enum SetQualifier {
        NONE,
        FOR_ANY_VALUE,
        FOR_ALL_VALUES
    }

    private static final String FOR_ANY_VALUE = "ForAnyValue:";
    private static final String FOR_ALL_VALUES = "ForAllValues:";
    private static final String IF_EXISTS = "IfExists";
    private static final long INVALID_DATE = Long.MIN_VALUE;
    private static final int ARN_COMPONENTS = 6;
    /** The compact ISO 8601 form SigV4 uses, e.g. {@code 20261125T120000Z}. */
    private static final DateTimeFormatter BASIC_DATE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss");

    private final String operatorName;
    private final ConditionOperator operator;
    private final SetQualifier qualifier;
    private final boolean ifExists;
    private final String key;
    private final String lowerCaseKey;
    private final boolean hasVariables;

    // One of these holds the values, according to the operator's family.
    private final PolicyPattern[] patterns;
    /** For ARN operators: the six components of each value, or null for a value that is not a six-part ARN. */
    private final PolicyPattern[][] arnComponents;
    private final double[] numbers;
    private final long[] dates;
    private final String[] strings;
    private final IpRange[] ranges;
    private final boolean[] expectAbsent;

    private Condition(Builder builder) {
        this.operatorName = builder.operatorName;
        this.operator = builder.operator;
        this.qualifier = builder.qualifier;
        this.ifExists = builder.ifExists;
        this.key = builder.key;
        this.lowerCaseKey = builder.key.toLowerCase(Locale.ROOT);
        this.patterns = builder.patterns;
        this.arnComponents = builder.arnComponents;
        this.numbers = builder.numbers;
        this.dates = builder.dates;
        this.strings = builder.strings;
        this.ranges = builder.ranges;
        this.expectAbsent = builder.expectAbsent;
        boolean variables = false;
        if (patterns != null) {
            for (PolicyPattern pattern : patterns) {
                variables |= pattern.hasVariables();
            }
        }
        this.hasVariables = variables;
    }

    private static final class Builder {
        String operatorName;
        ConditionOperator operator;
        SetQualifier qualifier;
        boolean ifExists;
        String key;
        PolicyPattern[] patterns;
        PolicyPattern[][] arnComponents;
        double[] numbers;
        long[] dates;
        String[] strings;
        IpRange[] ranges;
        boolean[] expectAbsent;
    }

    /**
     * Compiles one operator/key pair.
     *
     * @param operatorName e.g. {@code ForAnyValue:StringLikeIfExists}
     * @param variables whether policy variables are substituted (Version 2012-10-17)
     */
    static Condition compile(String operatorName, String key, List<String> values, boolean variables)
            throws MalformedPolicyException {
        Builder builder = new Builder();
        builder.operatorName = operatorName;
        builder.key = key;
        String base = operatorName;
        builder.qualifier = SetQualifier.NONE;
        if (base.startsWith(FOR_ANY_VALUE)) {
            builder.qualifier = SetQualifier.FOR_ANY_VALUE;
            base = base.substring(FOR_ANY_VALUE.length());
        } else if (base.startsWith(FOR_ALL_VALUES)) {
            builder.qualifier = SetQualifier.FOR_ALL_VALUES;
            base = base.substring(FOR_ALL_VALUES.length());
        }
        if (base.endsWith(IF_EXISTS)) {
            builder.ifExists = true;
            base = base.substring(0, base.length() - IF_EXISTS.length());
        }
        ConditionOperator operator = ConditionOperator.named(base);
        if (operator == null
                || (operator == ConditionOperator.NULL
                        && (builder.ifExists || builder.qualifier != SetQualifier.NONE))) {
            throw new MalformedPolicyException("Unknown condition operator " + operatorName);
        }
        builder.operator = operator;
        if (!PolicyPattern.isConditionKey(key)) {
            throw new MalformedPolicyException("Invalid condition key \"" + key + "\" in " + operatorName);
        }
        if (values.isEmpty()) {
            throw new MalformedPolicyException(
                    "Condition " + operatorName + " on " + key + " has an empty list of values");
        }
        String where = "condition " + operatorName + " on " + key;
        int count = values.size();
        switch (operator.family) {
            case STRING_EQUALS, STRING_EQUALS_IGNORE_CASE, STRING_LIKE -> {
                boolean wildcards = operator.family == ConditionOperator.Family.STRING_LIKE;
                builder.patterns = new PolicyPattern[count];
                for (int i = 0; i < count; i++) {
                    builder.patterns[i] = PolicyPattern.compile(values.get(i), wildcards, variables);
                }
            }
            case ARN -> {
                builder.patterns = new PolicyPattern[count];
                builder.arnComponents = new PolicyPattern[count][];
                for (int i = 0; i < count; i++) {
                    builder.patterns[i] = PolicyPattern.compile(values.get(i), true, variables);
                    builder.arnComponents[i] = compileArn(values.get(i), variables);
                }
            }
            case NUMERIC -> {
                builder.numbers = new double[count];
                for (int i = 0; i < count; i++) {
                    builder.numbers[i] = parseNumber(values.get(i));
                    if (Double.isNaN(builder.numbers[i])) {
                        throw new MalformedPolicyException(
                                "Invalid number \"" + values.get(i) + "\" in " + where);
                    }
                }
            }
            case DATE -> {
                builder.dates = new long[count];
                for (int i = 0; i < count; i++) {
                    builder.dates[i] = parseDate(values.get(i));
                    if (builder.dates[i] == INVALID_DATE) {
                        throw new MalformedPolicyException("Invalid date \"" + values.get(i) + "\" in " + where
                                + ": expected ISO 8601 or epoch seconds");
                    }
                }
            }
            case BOOL -> {
                builder.strings = new String[count];
                for (int i = 0; i < count; i++) {
                    builder.strings[i] = parseBoolean(values.get(i), where);
                }
            }
            case BINARY -> {
                builder.strings = new String[count];
                for (int i = 0; i < count; i++) {
                    try {
                        Base64.getDecoder().decode(values.get(i));
                    } catch (IllegalArgumentException e) {
                        throw new MalformedPolicyException(
                                "Invalid base64 value \"" + values.get(i) + "\" in " + where, e);
                    }
                    builder.strings[i] = values.get(i);
                }
            }
            case IP_ADDRESS -> {
                builder.ranges = new IpRange[count];
                for (int i = 0; i < count; i++) {
                    builder.ranges[i] = IpRange.parse(values.get(i));
                    if (builder.ranges[i] == null) {
                        throw new MalformedPolicyException("Invalid IP address or CIDR block \"" + values.get(i)
                                + "\" in " + where);
                    }
                }
            }
            case NULL -> {
                builder.expectAbsent = new boolean[count];
                for (int i = 0; i < count; i++) {
                    builder.expectAbsent[i] = parseBoolean(values.get(i), where).equals("true");
                }
            }
        }
        return new Condition(builder);
    }

    private static String parseBoolean(String value, String where) throws MalformedPolicyException {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return value.toLowerCase(Locale.ROOT);
        }
        throw new MalformedPolicyException("Invalid boolean \"" + value + "\" in " + where + ": expected true or false");
    }

    /** Splits an ARN pattern into its six components (colons inside {@code ${...}} do not split); null if fewer. */
    private static PolicyPattern[] compileArn(String value, boolean variables) throws MalformedPolicyException {
        List<String> components = new ArrayList<>(ARN_COMPONENTS);
        int start = 0;
        int depth = 0;
        for (int i = 0; i < value.length() && components.size() < ARN_COMPONENTS - 1; i++) {
            char c = value.charAt(i);
            if (variables && c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{') {
                depth++;
            } else if (c == '}' && depth > 0) {
                depth--;
            } else if (c == ':' && depth == 0) {
                components.add(value.substring(start, i));
                start = i + 1;
            }
        }
        if (components.size() < ARN_COMPONENTS - 1) {
            return null;
        }
        components.add(value.substring(start));
        PolicyPattern[] compiled = new PolicyPattern[ARN_COMPONENTS];
        for (int i = 0; i < ARN_COMPONENTS; i++) {
            compiled[i] = PolicyPattern.compile(components.get(i), true, variables);
        }
        return compiled;
    }

    /** A finite number in plain or exponent notation, or NaN. */
    static double parseNumber(String text) {
        int length = text.length();
        int i = 0;
        if (i < length && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
            i++;
        }
        int digits = 0;
        while (i < length && Character.isDigit(text.charAt(i)) && text.charAt(i) < 128) {
            i++;
            digits++;
        }
        if (i < length && text.charAt(i) == '.') {
            i++;
            while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (i < length && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < length && (text.charAt(i) == '-' || text.charAt(i) == '+')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < length && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return Double.NaN;
            }
        }
        if (i != length) {
            return Double.NaN;
        }
        double value = Double.parseDouble(text);
        return Double.isInfinite(value) ? Double.NaN : value;
    }

    /**
     * Milliseconds since the epoch of an ISO 8601 date-time (with {@code Z} or an offset; without one it is UTC;
     * also the compact {@code 20261125T120000Z}), an ISO date (midnight UTC), or epoch seconds;
     * {@link #INVALID_DATE} otherwise.
     */
    static long parseDate(String text) {
        if (text.isEmpty()) {
            return INVALID_DATE;
        }
        if (text.indexOf('-', 1) < 0) {
            if (text.length() == 16 && text.charAt(8) == 'T' && text.charAt(15) == 'Z') {
                try {
                    return LocalDateTime.parse(text.substring(0, 15), BASIC_DATE_TIME)
                            .toInstant(ZoneOffset.UTC)
                            .toEpochMilli();
                } catch (DateTimeParseException notBasic) {
                    return INVALID_DATE;
                }
            }
            double seconds = parseNumber(text);
            return Double.isNaN(seconds) ? INVALID_DATE : Math.round(seconds * 1000);
        }
        try {
            return parseIsoDate(text);
        } catch (ArithmeticException outOfRange) {
            // a year such as +1000000000 parses but has no epoch milliseconds
            return INVALID_DATE;
        }
    }

    private static long parseIsoDate(String text) {
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException notAnInstant) {
            // Fall through to the forms without an offset.
        }
        try {
            return OffsetDateTime.parse(text).toInstant().toEpochMilli();
        } catch (DateTimeParseException notAnOffsetDateTime) {
            // Fall through to the forms without an offset.
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException notALocalDateTime) {
            // Fall through to a plain date.
        }
        try {
            return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (DateTimeParseException notADate) {
            return INVALID_DATE;
        }
    }

    String operatorName() {
        return operatorName;
    }

    String key() {
        return key;
    }

    /** Whether this condition holds for the request. */
    boolean holds(RequestScope scope) {
        List<String> present = scope.values(lowerCaseKey);
        if (operator == ConditionOperator.NULL) {
            boolean absent = present.isEmpty();
            for (boolean expected : expectAbsent) {
                if (expected == absent) {
                    return true;
                }
            }
            return false;
        }
        if (present.isEmpty()) {
            if (ifExists || qualifier == SetQualifier.FOR_ALL_VALUES) {
                return true;
            }
            return qualifier == SetQualifier.NONE && operator.negated;
        }
        if (hasVariables) {
            // A value whose variable has no value makes the whole condition fail rather than silently match nothing.
            for (PolicyPattern pattern : patterns) {
                if (!pattern.resolvable(scope)) {
                    return false;
                }
            }
        }
        boolean negated = operator.negated;
        int size = present.size();
        if (qualifier == SetQualifier.FOR_ALL_VALUES || (qualifier == SetQualifier.NONE && negated)) {
            // Every request value must pass; for a negated operator, pass means "matches no policy value".
            for (int i = 0; i < size; i++) {
                if (matchesAnyPolicyValue(present.get(i), scope) == negated) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i < size; i++) {
            if (matchesAnyPolicyValue(present.get(i), scope) != negated) {
                return true;
            }
        }
        return false;
    }

    /** The positive form of the operator: does {@code value} match at least one policy value? */
    private boolean matchesAnyPolicyValue(String value, RequestScope scope) {
        switch (operator.family) {
            case STRING_EQUALS, STRING_LIKE -> {
                return matchesAnyPattern(value, false, scope);
            }
            case STRING_EQUALS_IGNORE_CASE -> {
                return matchesAnyPattern(value, true, scope);
            }
            case ARN -> {
                return matchesArn(value, scope);
            }
            case NUMERIC -> {
                double number = parseNumber(value);
                if (Double.isNaN(number)) {
                    return false;
                }
                for (double policyNumber : numbers) {
                    if (operator.comparison.holds(Double.compare(number, policyNumber))) {
                        return true;
                    }
                }
                return false;
            }
            case DATE -> {
                long date = parseDate(value);
                if (date == INVALID_DATE) {
                    return false;
                }
                for (long policyDate : dates) {
                    if (operator.comparison.holds(Long.compare(date, policyDate))) {
                        return true;
                    }
                }
                return false;
            }
            case BOOL -> {
                return equalsAnyString(value, true);
            }
            case BINARY -> {
                return equalsAnyString(value, false);
            }
            case IP_ADDRESS -> {
                for (IpRange range : ranges) {
                    if (range.contains(value)) {
                        return true;
                    }
                }
                return false;
            }
            case NULL -> {
                return false;
            }
        }
        return false;
    }

    private boolean matchesAnyPattern(String value, boolean ignoreCase, RequestScope scope) {
        for (PolicyPattern pattern : patterns) {
            if (pattern.matches(value, ignoreCase, scope)) {
                return true;
            }
        }
        return false;
    }

    /** Bool compares case-insensitively ("TRUE" is true), BinaryEquals exactly. */
    private boolean equalsAnyString(String value, boolean ignoreCase) {
        for (String expected : strings) {
            if (ignoreCase ? expected.equalsIgnoreCase(value) : expected.equals(value)) {
                return true;
            }
        }
        return false;
    }

    /** ARN operators compare each of the six colon-separated components separately, wildcards allowed in each. */
    private boolean matchesArn(String value, RequestScope scope) {
        int[] bounds = null;
        for (int v = 0; v < patterns.length; v++) {
            PolicyPattern[] components = arnComponents[v];
            if (components == null) {
                // Not a six-part ARN: a bare pattern such as "*" matches whole values; a truncated ARN nothing.
                if (patterns[v].source().indexOf(':') < 0 && patterns[v].matches(value, false, scope)) {
                    return true;
                }
                continue;
            }
            if (bounds == null) {
                bounds = arnBounds(value);
                if (bounds == null) {
                    return false;
                }
            }
            boolean all = true;
            for (int c = 0; c < ARN_COMPONENTS && all; c++) {
                all = components[c].matches(value, bounds[c], bounds[c + 1] - 1, false, scope);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Start offsets of the six components of an ARN (plus one past the end), or null if it has fewer. */
    private static int[] arnBounds(String value) {
        int[] bounds = new int[ARN_COMPONENTS + 1];
        int found = 1;
        for (int i = 0; i < value.length() && found < ARN_COMPONENTS; i++) {
            if (value.charAt(i) == ':') {
                bounds[found++] = i + 1;
            }
        }
        if (found < ARN_COMPONENTS) {
            return null;
        }
        bounds[ARN_COMPONENTS] = value.length() + 1;
        return bounds;
    }

    @Override
    public String toString() {
        return operatorName + "{" + key + "}";
    }
}
