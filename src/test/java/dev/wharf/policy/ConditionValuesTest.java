package dev.wharf.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionValuesTest {

    @ParameterizedTest(name = "{0} is {1} ms after the epoch")
    @CsvSource({
        "2026-11-25T12:00:00Z, 1795608000000",
        "2026-11-25T12:00Z, 1795608000000",
        "2026-11-25T12:00:00.5Z, 1795608000500",
        "2026-11-25T13:00:00+01:00, 1795608000000",
        "2026-11-25T12:00:00, 1795608000000",
        "2026-11-25, 1795564800000",
        "20261125T120000Z, 1795608000000",
        "1795608000, 1795608000000",
        "1795608000.25, 1795608000250",
        "-1, -1000"
    })
    void readsIsoDatesAndEpochSeconds(String text, long epochMillis) {
        assertThat(Condition.parseDate(text)).isEqualTo(epochMillis);
    }

    @ParameterizedTest(name = "{0} is not a date")
    @ValueSource(strings = {"", "tomorrow", "2026-13-01", "2026-11-25T25:00:00Z", "1e", "20261125T120000",
        "+1000000000-01-01T00:00:00Z", "+999999999-12-31T00:00:00+01:00", "+999999999-12-31T00:00:00", "+999999999-12-31"})
    void refusesWhatIsNotADate(String text) {
        assertThat(Condition.parseDate(text)).isEqualTo(Long.MIN_VALUE);
    }

    @ParameterizedTest(name = "{0} is the number {1}")
    @CsvSource({"42, 42", "-7, -7", "+3, 3", "2.5, 2.5", ".5, 0.5", "1e3, 1000", "1.5E-1, 0.15"})
    void readsNumbers(String text, double number) {
        assertThat(Condition.parseNumber(text)).isEqualTo(number);
    }

    @ParameterizedTest(name = "{0} is not a number")
    @ValueSource(strings = {"", "ten", "1.2.3", "0x10", "NaN", "Infinity", "1e", " 1", "1d", "1e999"})
    void refusesWhatIsNotANumber(String text) {
        assertThat(Condition.parseNumber(text)).isNaN();
    }
}
