package dev.wharf.console;

import dev.wharf.console.ConsoleViews.ConfigFile;
import dev.wharf.console.ConsoleViews.ToolSetup;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A repository's "connection instructions", as CodeArtifact's console gives them: for each tool of a
 * format, the commands that configure it ({@code wharf login}, and {@code aws codeartifact login} for
 * the tools the aws CLI knows) and the configuration to write by hand, filled in with the repository's
 * endpoint. Manual set-ups take the token from {@code CODEARTIFACT_AUTH_TOKEN}, set by the first
 * command shown.
 */
final class ConnectionInstructions {
  private ConnectionInstructions() {}

  /** The formats whose endpoints serve a client, in the order the page lists them. */
  static final List<String> FORMATS = List.of("npm", "pypi", "maven", "cargo", "ruby");

  /**
   * @param server the URL the aws CLI and wharf are pointed at (the public URL)
   * @param endpoint the repository's endpoint for the format (GetRepositoryEndpoint), ending in '/'
   */
  static List<ToolSetup> forFormat(String format, String server, String endpoint, String domain, String owner,
      String repository) {
    String target = "--domain " + domain + " --domain-owner " + owner + " --repository " + repository;
    String tokenCommand = "export CODEARTIFACT_AUTH_TOKEN=$(aws codeartifact get-authorization-token --domain " + domain
        + " --domain-owner " + owner + " --query authorizationToken --output text --endpoint-url " + server + ")";
    URI uri = URI.create(endpoint);
    String hostPath = "//" + uri.getRawAuthority() + uri.getRawPath();
    List<ToolSetup> setups = new ArrayList<>();
    switch (format) {
      case "npm" -> {
        String npmrc = "registry=" + endpoint + "\n" + hostPath + ":_authToken=${CODEARTIFACT_AUTH_TOKEN}\n";
        setups.add(new ToolSetup("npm", format, List.of(
            "./wharf login --tool npm " + target + " --endpoint-url " + server,
            "aws codeartifact login --tool npm " + target + " --endpoint-url " + server),
            List.of(new ConfigFile("~/.npmrc (after: " + tokenCommand + ")", npmrc))));
        setups.add(new ToolSetup("pnpm", format, List.of("./wharf login --tool pnpm " + target + " --endpoint-url "
            + server), List.of(new ConfigFile("~/.npmrc", npmrc))));
        setups.add(new ToolSetup("yarn", format, List.of("./wharf login --tool yarn " + target + " --endpoint-url "
            + server), List.of(new ConfigFile(".yarnrc.yml (yarn 2 and later)", "npmRegistryServer: \"" + endpoint
            + "\"\nnpmAlwaysAuth: true\nnpmAuthToken: \"${CODEARTIFACT_AUTH_TOKEN}\"\n"))));
      }
      case "pypi" -> {
        String withToken = uri.getScheme() + "://aws:${CODEARTIFACT_AUTH_TOKEN}@" + uri.getRawAuthority()
            + uri.getRawPath() + "simple/";
        setups.add(new ToolSetup("pip", format, List.of(
            "./wharf login --tool pip " + target + " --endpoint-url " + server,
            "aws codeartifact login --tool pip " + target + " --endpoint-url " + server),
            List.of(new ConfigFile("pip.conf (after: " + tokenCommand + ")", "[global]\nindex-url = " + withToken
                + "\n"))));
        setups.add(new ToolSetup("twine", format, List.of(
            "./wharf login --tool twine " + target + " --endpoint-url " + server,
            "aws codeartifact login --tool twine " + target + " --endpoint-url " + server),
            List.of(new ConfigFile("~/.pypirc", "[distutils]\nindex-servers =\n    codeartifact\n\n[codeartifact]\n"
                + "repository = " + endpoint + "\nusername = aws\npassword = ${CODEARTIFACT_AUTH_TOKEN}\n"))));
      }
      case "maven" -> {
        setups.add(new ToolSetup("mvn", format, List.of("./wharf login --tool maven " + target + " --endpoint-url "
            + server), List.of(
            new ConfigFile("~/.m2/settings.xml (after: " + tokenCommand + ")", "<settings>\n  <servers>\n    <server>\n"
                + "      <id>codeartifact</id>\n      <username>aws</username>\n"
                + "      <password>${env.CODEARTIFACT_AUTH_TOKEN}</password>\n    </server>\n  </servers>\n"
                + "  <mirrors>\n    <mirror>\n      <id>codeartifact</id>\n      <mirrorOf>*</mirrorOf>\n"
                + "      <url>" + endpoint + "</url>\n    </mirror>\n  </mirrors>\n</settings>\n"),
            new ConfigFile("pom.xml (to deploy)", "<distributionManagement>\n  <repository>\n"
                + "    <id>codeartifact</id>\n    <name>codeartifact</name>\n    <url>" + endpoint + "</url>\n"
                + "  </repository>\n</distributionManagement>\n"))));
        setups.add(new ToolSetup("gradle", format, List.of("./wharf login --tool gradle " + target + " --endpoint-url "
            + server), List.of(new ConfigFile("build.gradle", "repositories {\n  maven {\n    url '" + endpoint
            + "'\n    credentials {\n      username \"aws\"\n      password System.env.CODEARTIFACT_AUTH_TOKEN\n"
            + "    }\n  }\n}\n"))));
      }
      case "cargo" -> setups.add(new ToolSetup("cargo", format, List.of("./wharf login --tool cargo " + target
          + " --endpoint-url " + server), List.of(new ConfigFile("~/.cargo/config.toml", "[registries.codeartifact]\n"
          + "index = \"sparse+" + endpoint + "\"\ncredential-provider = \"cargo:token-from-stdout aws codeartifact"
          + " get-authorization-token --domain " + domain + " --domain-owner " + owner
          + " --query authorizationToken --output text --endpoint-url " + server + "\"\n\n[registry]\n"
          + "default = \"codeartifact\"\n\n[source.crates-io]\nreplace-with = \"codeartifact\"\n"))));
      case "ruby" -> {
        setups.add(new ToolSetup("gem", format, List.of("./wharf login --tool gem " + target + " --endpoint-url "
            + server), List.of(new ConfigFile("shell (after: " + tokenCommand + ")",
            "export GEM_HOST_API_KEY=\"Bearer ${CODEARTIFACT_AUTH_TOKEN}\"\ngem push --host " + endpoint
                + " my-gem-1.0.0.gem\ngem install my-gem --source " + uri.getScheme()
                + "://aws:${CODEARTIFACT_AUTH_TOKEN}@" + uri.getRawAuthority() + uri.getRawPath() + "\n"))));
        setups.add(new ToolSetup("bundler", format, List.of("./wharf login --tool bundler " + target
            + " --endpoint-url " + server), List.of(new ConfigFile("shell and Gemfile",
            "bundle config set --global " + uri.getHost() + " aws:${CODEARTIFACT_AUTH_TOKEN}\n\n# Gemfile\nsource \""
                + endpoint + "\"\n"))));
      }
      default -> { }
    }
    return setups;
  }
}
