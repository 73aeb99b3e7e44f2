package dev.wharf.format.ruby;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wharf.error.WharfException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GemspecTest {
  /** What gem build 3.3 writes (metadata.gz), shortened. */
  static final String YAML = """
      --- !ruby/object:Gem::Specification
      name: wharf-g1
      version: !ruby/object:Gem::Version
        version: 1.0.0
      platform: ruby
      authors:
      - A
      date: 2026-12-06 00:00:00.000000000 Z
      dependencies:
      - !ruby/object:Gem::Dependency
        name: rake
        requirement: !ruby/object:Gem::Requirement
          requirements:
          - - ">="
            - !ruby/object:Gem::Version
              version: '0.9'
          - - "<"
            - !ruby/object:Gem::Version
              version: '100'
        type: :runtime
        prerelease: false
      - !ruby/object:Gem::Dependency
        name: minitest
        requirement: !ruby/object:Gem::Requirement
          requirements:
          - - "~>"
            - !ruby/object:Gem::Version
              version: '5.0'
        type: :development
        prerelease: false
      licenses:
      - MIT
      metadata:
        source_code_uri: https://example.com/src
      required_ruby_version: !ruby/object:Gem::Requirement
        requirements:
        - - ">="
          - !ruby/object:Gem::Version
            version: '2.7'
      rubygems_version: 3.3.15
      specification_version: 4
      summary: g1
      """;

  @Test
  void theFieldsAnIndexNeedsAreRead() {
    Gemspec spec = Gemspec.parse(YAML.getBytes(StandardCharsets.UTF_8));
    assertThat(spec.name()).isEqualTo("wharf-g1");
    assertThat(spec.version()).isEqualTo("1.0.0");
    assertThat(spec.platform()).isEqualTo("ruby");
    assertThat(spec.fullName()).isEqualTo("wharf-g1-1.0.0");
    assertThat(spec.date()).isEqualTo("2026-12-06");
    assertThat(spec.dependencies()).containsExactly(
        new Gemspec.Dependency("rake", "runtime", List.of(new Gemspec.Constraint(">=", "0.9"),
            new Gemspec.Constraint("<", "100"))),
        new Gemspec.Dependency("minitest", "development", List.of(new Gemspec.Constraint("~>", "5.0"))));
    assertThat(RubyRegistry.requirement(spec.dependencies().getFirst().requirements())).isEqualTo(">= 0.9&< 100");
    assertThat(spec.requiredRubyVersion()).containsExactly(new Gemspec.Constraint(">=", "2.7"));
    assertThat(spec.requiredRubygemsVersion()).containsExactly(new Gemspec.Constraint(">=", "0"));
    assertThat(spec.metadata()).containsEntry("source_code_uri", "https://example.com/src");
    assertThat(GemMarshal.specification(spec)).startsWith(new byte[] {4, 8, 'u'});
  }

  @Test
  void aPlatformObjectNamesTheGemsFile() {
    Gemspec spec = Gemspec.parse(YAML.replace("platform: ruby", "platform: !ruby/object:Gem::Platform\n  cpu: x86_64\n"
        + "  os: linux\n  version:").getBytes(StandardCharsets.UTF_8));
    assertThat(spec.platform()).isEqualTo("x86_64-linux");
    assertThat(spec.fullName()).isEqualTo("wharf-g1-1.0.0-x86_64-linux");
  }

  @Test
  void malformedOrHostileSpecificationsAreRefused() {
    assertThatThrownBy(() -> Gemspec.parse("- [unclosed".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WharfException.Invalid.class);
    assertThatThrownBy(() -> Gemspec.parse(YAML.replace("name: wharf-g1", "name: ../../x").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WharfException.Invalid.class).hasMessageContaining("Invalid gem name");
    assertThatThrownBy(() -> Gemspec.parse(YAML.replace("\"~>\"", "\"=~\"").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WharfException.Invalid.class).hasMessageContaining("malformed");
    assertThatThrownBy(() -> Gemspec.parse(YAML.replace("type: :runtime", "type: :evil").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WharfException.Invalid.class).hasMessageContaining("unknown type");
    assertThatThrownBy(() -> Gemspec.parse(YAML.replace("name: wharf-g1", "name: a\nname: b").getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(WharfException.Invalid.class);
  }

  @Test
  void namesVersionsAndPlatformsFollowRubyGems() {
    assertThat(RubyNames.validName("test-unit")).isTrue();
    assertThat(RubyNames.validName("power_assert")).isTrue();
    assertThat(RubyNames.validName("123")).isFalse();
    assertThat(RubyNames.validName("a/b")).isFalse();
    assertThat(RubyNames.validVersion("1.0.0.pre1")).isTrue();
    assertThat(RubyNames.validVersion("1.0.0.pre.rc.1")).isTrue();
    assertThat(RubyNames.validVersion("1.0-x86")).isFalse(); // a '-' after the version starts the platform
    assertThat(RubyNames.validVersion("v1")).isFalse();
    assertThat(RubyNames.validPlatform("x86_64-linux-musl")).isTrue();
    assertThat(RubyNames.validPlatform("../x")).isFalse();
    assertThat(RubyNames.fullName("nokogiri", "1.15.0", "x86_64-linux")).isEqualTo("nokogiri-1.15.0-x86_64-linux");
  }
}
