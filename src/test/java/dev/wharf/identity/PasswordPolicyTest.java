package dev.wharf.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
  private static PasswordPolicy requiring(int length, boolean symbols, boolean numbers, boolean upper, boolean lower) {
    return new PasswordPolicy(length, symbols, numbers, upper, lower, false, 0, 0, false);
  }

  @Test
  void aPasswordMeetingEveryRuleHasNoViolations() {
    assertThat(requiring(12, true, true, true, true).violations("Correct-Horse-7")).isEmpty();
  }

  @Test
  void eachBrokenRuleIsNamed() {
    PasswordPolicy strict = requiring(14, true, true, true, true);

    assertThat(strict.violations("short")).containsExactly(
        "Password should have a minimum length of 14",
        "Password should have at least one uppercase letter",
        "Password should have at least one number",
        "Password should have at least one symbol (one of !@#$%^&*()_+-=[]{}|')");
    assertThat(strict.violations("ALLUPPERCASE-123")).containsExactly("Password should have at least one lowercase letter");
  }

  @Test
  void onlyTheRulesThePolicyRequiresApply() {
    PasswordPolicy lengthOnly = requiring(6, false, false, false, false);

    assertThat(lengthOnly.violations("aaaaaa")).isEmpty();
    assertThat(lengthOnly.violations("aaaaa")).containsExactly("Password should have a minimum length of 6");
  }

  @Test
  void symbolsAreTheOnesIamNamesAndLettersTheBasicLatinOnes() {
    PasswordPolicy symbols = requiring(6, true, false, false, false);
    for (char symbol : "!@#$%^&*()_+-=[]{}|'".toCharArray()) {
      assertThat(symbols.violations("abcdef" + symbol)).as("symbol %s", symbol).isEmpty();
    }
    assertThat(symbols.violations("abcdef~")).hasSize(1);
    assertThat(symbols.violations("abcdef\"")).hasSize(1);
    assertThat(requiring(6, false, false, true, false).violations("ÀÉÎÕÜÇ")).hasSize(1);
  }

  @Test
  void withoutAPolicyAwsDefaultAsksEightCharactersOfThreeKinds() {
    assertThat(PasswordPolicy.defaultViolations("Abcdef1!", "alice", "main")).isEmpty();
    assertThat(PasswordPolicy.defaultViolations("abcdefg1", "alice", "main")).containsExactly(
        "Password should have at least three of: uppercase letters, lowercase letters, numbers, symbols"
            + " (!@#$%^&*()_+-=[]{}|')");
    assertThat(PasswordPolicy.defaultViolations("abcdefg1A", "alice", "main")).isEmpty();
    assertThat(PasswordPolicy.defaultViolations("abcdef1!", "alice", "main")).isEmpty();
    assertThat(PasswordPolicy.defaultViolations("Ab1!", "alice", "main"))
        .containsExactly("Password should have a minimum length of 8");
  }

  @Test
  void withoutAPolicyThePasswordIsNeitherTheUserNameNorTheAccountName() {
    assertThat(PasswordPolicy.defaultViolations("Alice-2026", "alice-2026", "main"))
        .containsExactly("Password should not be the user name");
    assertThat(PasswordPolicy.defaultViolations("Main-Acct-1", "alice", "main-acct-1"))
        .containsExactly("Password should not be the account name");
  }

  @Test
  void passwordsExpireOnlyWithAMaximumAge() {
    assertThat(new PasswordPolicy(8, false, false, false, false, false, 0, 0, false).expirePasswords()).isFalse();
    assertThat(new PasswordPolicy(8, false, false, false, false, false, 90, 0, false).expirePasswords()).isTrue();
  }

  @Test
  void valuesOutsideIamRangesAreNotAPolicy() {
    assertThatThrownBy(() -> requiring(5, false, false, false, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> requiring(129, false, false, false, false)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PasswordPolicy(8, false, false, false, false, false, 1096, 0, false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PasswordPolicy(8, false, false, false, false, false, 0, 25, false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
