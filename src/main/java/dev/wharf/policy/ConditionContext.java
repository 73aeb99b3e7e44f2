package dev.wharf.policy;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The condition keys of a request and their values. Immutable. Keys are case-insensitive, as AWS condition
 * keys are; each key holds a list of strings (most keys hold one value, a few such as {@code aws:TagKeys} many).
 */
public final class ConditionContext {

    private static final ConditionContext EMPTY = new ConditionContext(Map.of());

    private final Map<String, List<String>> valuesByLowerCaseKey;

    private ConditionContext(Map<String, List<String>> valuesByLowerCaseKey) {
        this.valuesByLowerCaseKey = valuesByLowerCaseKey;
    }

    /** A context without any key. */
    public static ConditionContext empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The values of {@code key} (matched case-insensitively), or an empty list if the request lacks it. */
    public List<String> values(String key) {
        return valuesOfLowerCaseKey(key.toLowerCase(Locale.ROOT));
    }

    /** Lookup without the case folding, for keys lower-cased once at parse time. */
    List<String> valuesOfLowerCaseKey(String lowerCaseKey) {
        List<String> values = valuesByLowerCaseKey.get(lowerCaseKey);
        return values == null ? List.of() : values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ConditionContext context && valuesByLowerCaseKey.equals(context.valuesByLowerCaseKey);
    }

    @Override
    public int hashCode() {
        return valuesByLowerCaseKey.hashCode();
    }

    @Override
    public String toString() {
        return "ConditionContext" + valuesByLowerCaseKey;
    }

    /** Collects keys and values; a later {@code put} of the same key (in any case) replaces the earlier one. */
    public static final class Builder {

        private final Map<String, List<String>> values = new HashMap<>();

        private Builder() {}

        public Builder put(String key, String... values) {
            return put(key, List.of(values));
        }

        public Builder put(String key, Collection<String> values) {
            Objects.requireNonNull(key, "key");
            this.values.put(key.toLowerCase(Locale.ROOT), List.copyOf(values));
            return this;
        }

        public ConditionContext build() {
            return values.isEmpty() ? EMPTY : new ConditionContext(Map.copyOf(values));
        }
    }
}
