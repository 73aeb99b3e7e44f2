package dev.wharf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RefreshAdviceTest {
  @Test
  void theLoginRepeatsWithinThreeQuartersOfTheTokensLifetimeOnAPeriodCronRepeatsEvenly() {
    assertThat(RefreshAdvice.intervalMinutes(43200)).isEqualTo(8 * 60);
    assertThat(RefreshAdvice.cronSchedule(8 * 60)).isEqualTo("0 */8 * * *");
    assertThat(RefreshAdvice.intervalMinutes(3600)).isEqualTo(30);
    assertThat(RefreshAdvice.intervalMinutes(900)).isEqualTo(10);
    assertThat(RefreshAdvice.cronSchedule(10)).isEqualTo("*/10 * * * *");
    assertThat(RefreshAdvice.intervalMinutes(7200)).isEqualTo(60);
    assertThat(RefreshAdvice.cronSchedule(60)).isEqualTo("0 */1 * * *");
  }

  @Test
  void wordsAreQuotedForTheShellOnlyWhenTheyNeedIt() {
    assertThat(RefreshAdvice.shell(List.of("/opt/wharf/wharf", "--home", "/home/a b", "it's", "http://h:8080/")))
        .isEqualTo("/opt/wharf/wharf --home '/home/a b' 'it'\\''s' http://h:8080/");
  }
}
