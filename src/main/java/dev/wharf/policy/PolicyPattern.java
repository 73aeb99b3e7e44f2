package dev.wharf.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A policy string compiled once at parse time: literal text, optionally the wildcards {@code *} and {@code ?},
 * and optionally policy variables ({@code ${aws:username}}, {@code ${key, 'default'}}, and the escapes
 * {@code ${*}}, {@code ${?}}, {@code ${$}}). Matching never builds a regex and allocates nothing; a variable's
 * value always matches literally.
 */
final class PolicyPattern {

    private static final int LITERAL = 0;
    private static final int ANY_SEQUENCE = 1;
    private static final int ANY_CHARACTER = 2;
    private static final int VARIABLE = 3;

    private final String source;
    private final int[] kinds;
    /** Literal text for {@code LITERAL}, the lower-cased key for {@code VARIABLE}. */
    private final String[] texts;
    /** The default value of a {@code VARIABLE}, or null. */
    private final String[] defaults;
    private final boolean hasVariables;
    private final boolean hasWildcards;

    private PolicyPattern(String source, int[] kinds, String[] texts, String[] defaults) {
        this.source = source;
        this.kinds = kinds;
        this.texts = texts;
        this.defaults = defaults;
        boolean variables = false;
        boolean wildcards = false;
        for (int kind : kinds) {
            variables |= kind == VARIABLE;
            wildcards |= kind == ANY_SEQUENCE || kind == ANY_CHARACTER;
        }
        this.hasVariables = variables;
        this.hasWildcards = wildcards;
    }

    /** Supplies the values of policy variables during one evaluation. */
    interface VariableSource {
        /** The single value of the lower-cased key, or null if the request has none (or several). */
        String variable(String lowerCaseKey);
    }

    /**
     * Compiles {@code text}.
     *
     * @param wildcards whether {@code *} and {@code ?} are wildcards (otherwise they are literal characters)
     * @param variables whether {@code ${...}} is a policy variable (only for Version 2012-10-17)
     */
    static PolicyPattern compile(String text, boolean wildcards, boolean variables) throws MalformedPolicyException {
        List<Integer> kinds = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<String> defaults = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (variables && c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    throw new MalformedPolicyException("Unterminated policy variable in " + quote(text));
                }
                String inside = text.substring(i + 2, end).trim();
                if (inside.equals("*") || inside.equals("?") || inside.equals("$")) {
                    literal.append(inside);
                } else {
                    flush(literal, kinds, texts, defaults);
                    parseVariable(text, inside, kinds, texts, defaults);
                }
                i = end + 1;
            } else if (wildcards && (c == '*' || c == '?')) {
                flush(literal, kinds, texts, defaults);
                kinds.add(c == '*' ? ANY_SEQUENCE : ANY_CHARACTER);
                texts.add(null);
                defaults.add(null);
                i++;
            } else {
                literal.append(c);
                i++;
            }
        }
        flush(literal, kinds, texts, defaults);
        return new PolicyPattern(
                text,
                kinds.stream().mapToInt(Integer::intValue).toArray(),
                texts.toArray(String[]::new),
                defaults.toArray(String[]::new));
    }

    private static void parseVariable(
            String text, String inside, List<Integer> kinds, List<String> texts, List<String> defaults)
            throws MalformedPolicyException {
        String key = inside;
        String defaultValue = null;
        int comma = inside.indexOf(',');
        if (comma >= 0) {
            key = inside.substring(0, comma).trim();
            String rest = inside.substring(comma + 1).trim();
            if (rest.length() < 2 || rest.charAt(0) != '\'' || rest.charAt(rest.length() - 1) != '\'') {
                throw new MalformedPolicyException(
                        "Policy variable default must be in single quotes in " + quote(text));
            }
            defaultValue = rest.substring(1, rest.length() - 1);
        }
        if (!isConditionKey(key)) {
            throw new MalformedPolicyException("Invalid policy variable ${" + inside + "} in " + quote(text));
        }
        kinds.add(VARIABLE);
        texts.add(key.toLowerCase(Locale.ROOT));
        defaults.add(defaultValue);
    }

    static boolean isConditionKey(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == ':' || c == '/' || c == '-' || c == '_' || c == '.' || c == '@' || c == '+'
                    || c == '=';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    private static void flush(StringBuilder literal, List<Integer> kinds, List<String> texts, List<String> defaults) {
        if (!literal.isEmpty()) {
            kinds.add(LITERAL);
            texts.add(literal.toString());
            defaults.add(null);
            literal.setLength(0);
        }
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    String source() {
        return source;
    }

    boolean hasVariables() {
        return hasVariables;
    }

    boolean isMatchAll() {
        return kinds.length == 1 && kinds[0] == ANY_SEQUENCE;
    }

    /** Whether every variable of this pattern has a value (or a default) in {@code variables}. */
    boolean resolvable(VariableSource variables) {
        if (!hasVariables) {
            return true;
        }
        for (int t = 0; t < kinds.length; t++) {
            if (kinds[t] == VARIABLE && variableValue(t, variables) == null) {
                return false;
            }
        }
        return true;
    }

    private String variableValue(int token, VariableSource variables) {
        String value = variables == null ? null : variables.variable(texts[token]);
        return value != null ? value : defaults[token];
    }

    /** Whether the whole of {@code text} matches at least one of the patterns. */
    static boolean anyMatches(PolicyPattern[] patterns, String text, boolean ignoreCase, VariableSource variables) {
        for (PolicyPattern pattern : patterns) {
            if (pattern.matches(text, ignoreCase, variables)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the whole of {@code text} matches; false if a variable has no value. */
    boolean matches(String text, boolean ignoreCase, VariableSource variables) {
        return matches(text, 0, text.length(), ignoreCase, variables);
    }

    /** Whether {@code text[from, to)} matches; false if a variable has no value. */
    boolean matches(String text, int from, int to, boolean ignoreCase, VariableSource variables) {
        if (hasVariables && !resolvable(variables)) {
            return false;
        }
        if (!hasWildcards && kinds.length == 1 && kinds[0] == LITERAL) {
            String literal = texts[0];
            return literal.length() == to - from && text.regionMatches(ignoreCase, from, literal, 0, literal.length());
        }
        int token = 0;
        int position = from;
        int starToken = -1;
        int starPosition = from;
        while (position < to || token < kinds.length) {
            if (token < kinds.length) {
                int kind = kinds[token];
                if (kind == ANY_SEQUENCE) {
                    starToken = token;
                    starPosition = position;
                    token++;
                    continue;
                }
                if (kind == ANY_CHARACTER) {
                    if (position < to) {
                        position++;
                        token++;
                        continue;
                    }
                } else {
                    String literal = kind == LITERAL ? texts[token] : variableValue(token, variables);
                    int length = literal.length();
                    if (position + length <= to && text.regionMatches(ignoreCase, position, literal, 0, length)) {
                        position += length;
                        token++;
                        continue;
                    }
                }
            }
            // Mismatch: let the most recent '*' swallow one more character, if there is one.
            if (starToken >= 0 && starPosition < to) {
                starPosition++;
                position = starPosition;
                token = starToken + 1;
                continue;
            }
            return false;
        }
        return true;
    }

    /**
     * Whether some text that starts with {@code prefix} and holds at most {@code maxSlashes} {@code /} after it
     * matches: after the prefix, the rest of the pattern can be completed with no more {@code /} than that (its
     * wildcards taking none). False if a variable has no value.
     */
    boolean couldMatchUnder(String prefix, int maxSlashes, boolean ignoreCase, VariableSource variables) {
        java.util.BitSet states = statesAfter(prefix, ignoreCase, variables);
        for (int state = states.nextSetBit(0); state >= 0; state = states.nextSetBit(state + 1)) {
            if (slashesFrom(state >> 16, state & 0xffff, variables) <= maxSlashes) {
                return true;
            }
        }
        return false;
    }

    /** How many {@code /} the literals of the pattern hold from the offset into the token on. */
    private int slashesFrom(int token, int offset, VariableSource variables) {
        int slashes = 0;
        for (int t = token; t < kinds.length; t++) {
            String literal = kinds[t] == LITERAL ? texts[t] : kinds[t] == VARIABLE ? variableValue(t, variables) : null;
            for (int i = t == token ? offset : 0; literal != null && i < literal.length(); i++) {
                slashes += literal.charAt(i) == '/' ? 1 : 0;
            }
        }
        return slashes;
    }

    /**
     * Whether every text starting with {@code prefix} (the prefix and anything after it) matches: after the prefix
     * the pattern may be left with nothing but {@code *}. False if a variable has no value. Sound, not complete: a
     * pattern that covers every continuation in another way (none does that AWS policies write) is not seen to.
     */
    boolean coversAllUnder(String prefix, boolean ignoreCase, VariableSource variables) {
        java.util.BitSet states = statesAfter(prefix, ignoreCase, variables);
        for (int state = states.nextSetBit(0); state >= 0; state = states.nextSetBit(state + 1)) {
            int token = state >> 16;
            if ((state & 0xffff) == 0 && token < kinds.length && onlyStarsFrom(token)) {
                return true;
            }
        }
        return false;
    }

    private boolean onlyStarsFrom(int token) {
        for (int t = token; t < kinds.length; t++) {
            if (kinds[t] != ANY_SEQUENCE) {
                return false;
            }
        }
        return true;
    }

    /**
     * The states the pattern can be in after reading all of {@code text} (an NFA over the tokens: a state is a token
     * and the offset read into its literal, packed as {@code token << 16 | offset}); the end of the pattern is the
     * state {@code kinds.length << 16}.
     */
    private java.util.BitSet statesAfter(String text, boolean ignoreCase, VariableSource variables) {
        java.util.BitSet states = new java.util.BitSet();
        if (hasVariables && !resolvable(variables)) {
            return states;
        }
        String[] literals = new String[kinds.length];
        for (int t = 0; t < kinds.length; t++) {
            literals[t] = kinds[t] == LITERAL ? texts[t] : kinds[t] == VARIABLE ? variableValue(t, variables) : null;
            if (literals[t] != null && literals[t].length() >= 0xffff) {
                return states; // longer than any ARN: never reached
            }
        }
        close(states, 0, literals);
        for (int i = 0; i < text.length() && !states.isEmpty(); i++) {
            char c = text.charAt(i);
            java.util.BitSet next = new java.util.BitSet();
            for (int state = states.nextSetBit(0); state >= 0; state = states.nextSetBit(state + 1)) {
                int token = state >> 16;
                int offset = state & 0xffff;
                if (token == kinds.length) {
                    continue;
                }
                switch (kinds[token]) {
                    case ANY_SEQUENCE -> close(next, state, literals);
                    case ANY_CHARACTER -> close(next, (token + 1) << 16, literals);
                    default -> {
                        char expected = literals[token].charAt(offset);
                        boolean same = expected == c || ignoreCase
                                && (Character.toUpperCase(expected) == Character.toUpperCase(c)
                                        || Character.toLowerCase(expected) == Character.toLowerCase(c));
                        if (same) {
                            close(next, offset + 1 == literals[token].length() ? (token + 1) << 16
                                    : (token << 16) | (offset + 1), literals);
                        }
                    }
                }
            }
            states = next;
        }
        return states;
    }

    /** Adds {@code state} and the states it reaches without reading: past a {@code *} or an empty literal. */
    private void close(java.util.BitSet states, int state, String[] literals) {
        while (true) {
            states.set(state);
            int token = state >> 16;
            if ((state & 0xffff) != 0 || token == kinds.length
                    || !(kinds[token] == ANY_SEQUENCE || (literals[token] != null && literals[token].isEmpty()))) {
                return;
            }
            state = (token + 1) << 16;
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
