package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RepositoryPathTest {
  /** The pattern the character checks replaced: the parse must agree with it on every path. */
  private static final Pattern ORACLE = Pattern.compile(
      "/([a-z][a-z0-9\\-]{0,48}[a-z0-9])-([0-9]{12})/([a-z]{1,16})/([A-Za-z0-9][A-Za-z0-9._\\-]{1,99})(/.*)?");

  private static Optional<RepositoryPath> oracle(String path) {
    Matcher m = ORACLE.matcher(path);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new RepositoryPath(m.group(1), m.group(2), m.group(3), m.group(4),
        m.group(5) == null ? "" : m.group(5).substring(1)));
  }

  @Test
  void aRepositoryPathIsSplitIntoItsParts() {
    assertThat(RepositoryPath.parse("/my-domain-111122223333/npm/app-1/@scope%2fname/-/name-1.0.0.tgz")).hasValue(
        new RepositoryPath("my-domain", "111122223333", "npm", "app-1", "@scope%2fname/-/name-1.0.0.tgz"));
    assertThat(RepositoryPath.parse("/d2-111122223333/pypi/r.x")).hasValue(
        new RepositoryPath("d2", "111122223333", "pypi", "r.x", ""));
    assertThat(RepositoryPath.parse("/d2-111122223333/pypi/rr/")).hasValue(
        new RepositoryPath("d2", "111122223333", "pypi", "rr", ""));
  }

  @Test
  void theParseAgreesWithThePatternOnEdgesAndOnRandomPaths() {
    List<String> paths = new ArrayList<>(List.of("", "/", "/a-111122223333/npm/rr", "/ab-111122223333/npm/r",
        "/ab-11112222333/npm/rr", "/ab-1111222233334/npm/rr", "/ab--111122223333/npm/rr", "/-ab-111122223333/npm/rr",
        "/1b-111122223333/npm/rr", "/ab-111122223333/NPM/rr", "/ab-111122223333//rr", "/ab-111122223333/npm/.rr",
        "/ab-111122223333/npm/r\u00e9r", "/ab-111122223333/npm/rr/x\ny", "/ab-111122223333/npm/rr\n",
        "/ab-111122223333/abcdefghijklmnopq/rr", "/ab-111122223333/abcdefghijklmnop/rr",
        "/" + "a".repeat(50) + "-111122223333/npm/rr", "/" + "a".repeat(51) + "-111122223333/npm/rr",
        "/ab-111122223333/npm/" + "r".repeat(100), "/ab-111122223333/npm/" + "r".repeat(101) + "/x",
        "/ab-cd-111122223333/maven/rr/com/example/x.jar", "/ab-111122223333/npm/rr//", "ab-111122223333/npm/rr"));
    Random random = new Random(42);
    String alphabet = "ab-1/9Z._\n%";
    for (int i = 0; i < 20_000; i++) {
      String[] starts = {"/", "/ab-111122223333/", "/ab-111122223333/npm/", "/a-b-111122223333/npm/r"};
      StringBuilder path = new StringBuilder(starts[random.nextInt(starts.length)]);
      int length = random.nextInt(30);
      for (int j = 0; j < length; j++) {
        path.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      paths.add(path.toString());
    }
    int served = 0;
    for (String path : paths) {
      assertThat(RepositoryPath.parse(path)).as(path).isEqualTo(oracle(path));
      served += oracle(path).isPresent() ? 1 : 0;
    }
    assertThat(served).as("paths under a repository among those tried").isGreaterThan(1_000);
  }
}
