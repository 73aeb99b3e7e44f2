package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How each format names a package and the line that installs a version with its client (the console shows both). */
class FormatInstallLinesTest {
  private final FormatRegistry formats = TestingFormats.registry();

  @Test
  void eachClientsLineQuotesWhatAPublisherChose() {
    assertThat(formats.require("npm").displayName("scope", "left-pad")).isEqualTo("@scope/left-pad");
    assertThat(formats.require("npm").installLine("scope", "left-pad", "1.3.0")).hasValue(
        "npm install @scope/left-pad@1.3.0");
    assertThat(formats.require("pypi").installLine(null, "requests", "2.32.3")).hasValue("pip install requests==2.32.3");
    assertThat(formats.require("cargo").installLine(null, "serde", "1.0.0")).hasValue("cargo add serde@=1.0.0");
    assertThat(formats.require("nuget").installLine(null, "Newtonsoft.Json", "13.0.3")).hasValue(
        "dotnet add package Newtonsoft.Json --version 13.0.3");
    assertThat(formats.require("ruby").installLine(null, "rake", "13.0.6 beta")).hasValue(
        "gem install rake -v '13.0.6 beta'");
    assertThat(formats.require("maven").displayName("com.example", "lib")).isEqualTo("com.example:lib");
    assertThat(formats.require("maven").installLine("com.example", "a<b>", "1&2")).hasValueSatisfying(line ->
        assertThat(line).contains("<groupId>com.example</groupId>", "<artifactId>a&lt;b&gt;</artifactId>",
            "<version>1&amp;2</version>"));
    assertThat(formats.require("swift").displayName("mona", "LinkedList")).isEqualTo("mona.LinkedList");
    assertThat(formats.require("swift").installLine("mona", "LinkedList", "1.1.1")).hasValue(
        ".package(id: \"mona.LinkedList\", exact: \"1.1.1\")");
    assertThat(formats.require("generic").displayName("tools", "x")).isEqualTo("tools/x");
    assertThat(formats.require("generic").installLine("tools", "x", "1")).isEmpty();
  }

  @Test
  void theFormatsWithClientsSetThemUpForTheRepositorysEndpoint() {
    ToolSetup.Target target = new ToolSetup.Target("https://wharf.example.com",
        "https://wharf.example.com/acme-111122223333/npm/app/", "acme", "111122223333", "app");
    assertThat(formats.require("npm").toolSetups(target)).extracting(ToolSetup::tool).containsExactly("npm", "pnpm",
        "yarn");
    assertThat(formats.require("npm").toolSetups(target).getFirst().files().getFirst().content()).isEqualTo(
        "registry=https://wharf.example.com/acme-111122223333/npm/app/\n"
            + "//wharf.example.com/acme-111122223333/npm/app/:_authToken=${CODEARTIFACT_AUTH_TOKEN}\n");
    assertThat(formats.require("pypi").toolSetups(target).getFirst().commands()).containsExactly(
        "./wharf login --tool pip --domain acme --domain-owner 111122223333 --repository app --endpoint-url"
            + " https://wharf.example.com",
        "aws codeartifact login --tool pip --domain acme --domain-owner 111122223333 --repository app --endpoint-url"
            + " https://wharf.example.com");
    assertThat(formats.all()).filteredOn(f -> !f.toolSetups(target).isEmpty()).extracting(PackageFormat::name)
        .containsExactlyInAnyOrder("npm", "pypi", "maven", "cargo", "ruby", "nuget", "swift");
    ToolSetup dotnet = formats.require("nuget").toolSetups(target).getFirst();
    assertThat(dotnet.commands().getFirst()).startsWith("./wharf login --tool dotnet --domain acme");
    assertThat(dotnet.files().getFirst().content()).contains(
        "<add key=\"acme/app\" value=\"https://wharf.example.com/acme-111122223333/npm/app/v3/index.json\" />",
        "<acme_x002F_app>", "<add key=\"ClearTextPassword\" value=\"${CODEARTIFACT_AUTH_TOKEN}\" />");
    assertThat(formats.require("swift").toolSetups(target).getFirst().files().getFirst().content()).isEqualTo(
        "swift package-registry set https://wharf.example.com/acme-111122223333/npm/app/\n"
            + "swift package-registry login https://wharf.example.com/acme-111122223333/npm/app/login --token"
            + " \"${CODEARTIFACT_AUTH_TOKEN}\"\n");
  }
}
