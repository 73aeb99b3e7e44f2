package dev.wharf.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyPatternTest {

    private static final PolicyPattern.VariableSource VARIABLES =
            key -> Map.of("aws:username", "alice", "empty", "").get(key);

    @ParameterizedTest(name = "\"{0}\" matches \"{1}\": {2}")
    @CsvSource(delimiter = '|', value = {
        "*|anything|true",
        "*|''|true",
        "''|''|true",
        "''|x|false",
        "a*|a|true",
        "a*b|ab|true",
        "a*b|axxb|true",
        "a*b|axxbx|false",
        "a*b*c|abxbxc|true",
        "*a*a*|xaya|true",
        "*a*a*|xay|false",
        "a?c|abc|true",
        "a?c|ac|false",
        "??|ab|true",
        "??|abc|false",
        "arn:aws:s3:::b/*|arn:aws:s3:::b/x/y:z|true",
        "home/${aws:username}/*|home/alice/docs|true",
        "home/${aws:username}/*|home/bob/docs|false",
        "home/${missing}|home/|false",
        "home/${missing, 'guest'}|home/guest|true",
        "home/${ aws:username , 'guest' }|home/alice|true",
        "x${empty}y|xy|true",
        "a${*}b|a*b|true",
        "a${*}b|axb|false",
        "a${?}|a?|true",
        "a${?}|ab|false",
        "cost${$}|cost$|true",
        "$5 and $x|$5 and $x|true"
    })
    void matchesWildcardsAndVariables(String pattern, String text, boolean matches) throws MalformedPolicyException {
        assertThat(PolicyPattern.compile(pattern, true, true).matches(text, false, VARIABLES)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "without wildcards \"{0}\" matches \"{1}\": {2}")
    @CsvSource(delimiter = '|', value = {
        "a*|a*|true",
        "a*|ab|false",
        "a?|a?|true",
        "${aws:username}|alice|true"
    })
    void treatsWildcardsLiterallyForEqualityOperators(String pattern, String text, boolean matches)
            throws MalformedPolicyException {
        assertThat(PolicyPattern.compile(pattern, false, true).matches(text, false, VARIABLES)).isEqualTo(matches);
    }

    @ParameterizedTest(name = "{0} with variables off matches {1}")
    @CsvSource(delimiter = '|', value = {"home/${aws:username}|home/${aws:username}"})
    void leavesVariablesAloneWhenTheyAreOff(String pattern, String text) throws MalformedPolicyException {
        assertThat(PolicyPattern.compile(pattern, true, false).matches(text, false, VARIABLES)).isTrue();
    }
}
