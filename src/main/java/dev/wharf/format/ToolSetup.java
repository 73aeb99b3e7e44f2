package dev.wharf.format;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * One client's set-up for a repository, as the console's "connection instructions" show it (after CodeArtifact's):
 * the commands that configure it ({@code wharf login}, and {@code aws codeartifact login} for the tools the aws CLI
 * knows) and the configuration to write by hand. Manual set-ups take the token from {@code CODEARTIFACT_AUTH_TOKEN},
 * which {@link Target#tokenCommand()} sets.
 */
public record ToolSetup(String tool, List<String> commands, List<ConfigFile> files) {
  public ToolSetup {
    Objects.requireNonNull(tool, "tool");
    commands = List.copyOf(commands);
    files = List.copyOf(files);
  }

  /** A file to write by hand (the path says where, and what to run first). */
  public record ConfigFile(String path, String content) {}

  /**
   * The repository a set-up is for.
   *
   * @param server the URL the aws CLI and wharf are pointed at (the public URL)
   * @param endpoint the repository's endpoint for the format (GetRepositoryEndpoint), ending in '/'
   */
  public record Target(String server, String endpoint, String domain, String owner, String repository) {
    /** A repository of no server, to ask a format whether it has clients to set up at all. */
    public static final Target EXAMPLE = new Target("https://wharf.example", "https://wharf.example/r/", "d",
        "111122223333", "r");

    /** {@code wharf login --tool TOOL …} for this repository. */
    public String wharfLogin(String tool) {
      return "./wharf login --tool " + tool + " " + arguments();
    }

    /** {@code aws codeartifact login --tool TOOL …} for this repository. */
    public String awsLogin(String tool) {
      return "aws codeartifact login --tool " + tool + " " + arguments();
    }

    private String arguments() {
      return "--domain " + domain + " --domain-owner " + owner + " --repository " + repository + " --endpoint-url "
          + server;
    }

    /** The aws CLI command that prints a token. */
    public String tokenQuery() {
      return "aws codeartifact get-authorization-token --domain " + domain + " --domain-owner " + owner
          + " --query authorizationToken --output text --endpoint-url " + server;
    }

    /** The shell line that puts a token in {@code CODEARTIFACT_AUTH_TOKEN}. */
    public String tokenCommand() {
      return "export CODEARTIFACT_AUTH_TOKEN=$(" + tokenQuery() + ")";
    }

    /** The endpoint with the token as Basic credentials ({@code scheme://aws:${CODEARTIFACT_AUTH_TOKEN}@host/path/}). */
    public String endpointWithToken() {
      URI uri = URI.create(endpoint);
      return uri.getScheme() + "://aws:${CODEARTIFACT_AUTH_TOKEN}@" + uri.getRawAuthority() + uri.getRawPath();
    }
  }
}
