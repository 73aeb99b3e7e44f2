package dev.wharf.cli;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.codeartifact.CodeartifactClient;

/** Where the server is and whose credentials to use: shared by every command that calls the API. */
final class ApiClientOptions {
  @Spec(Spec.Target.MIXEE) CommandSpec spec;

  @Option(names = "--endpoint-url", description = "The Wharf server, e.g. http://localhost:8080 (env WHARF_ENDPOINT).")
  String endpointUrl;

  @Option(names = "--profile", description = "AWS profile to take credentials from (default: the standard chain).")
  String profile;

  @Option(names = "--region", description = "Region to sign for (default: AWS_REGION / profile / us-east-1).")
  String region;

  ApiClient client() {
    return new ApiClient(endpoint(), credentialsProvider(), signingRegion());
  }

  /** A CodeArtifact SDK client of the server: credentials from the standard chain (honouring --profile). */
  CodeartifactClient codeArtifact() {
    return CodeartifactClient.builder()
        .endpointOverride(endpoint())
        .region(Region.of(signingRegion()))
        .credentialsProvider(credentialsProvider())
        .httpClient(UrlConnectionHttpClient.create())
        .build();
  }

  AwsCredentialsProvider credentialsProvider() {
    DefaultCredentialsProvider.Builder provider = DefaultCredentialsProvider.builder();
    if (profile != null) {
      provider.profileName(profile);
    }
    return provider.build();
  }

  String signingRegion() {
    if (region != null) {
      return region;
    }
    try {
      DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
      if (profile != null) {
        chain.profileName(profile).profileFile(ProfileFile::defaultProfileFile);
      }
      return chain.build().getRegion().id();
    } catch (RuntimeException noRegion) {
      return "us-east-1";
    }
  }

  /** --endpoint-url, and --profile and --region when given: the server and credentials a rerun of a command needs. */
  List<String> arguments() {
    List<String> arguments = new ArrayList<>(List.of("--endpoint-url", endpoint().toString()));
    if (profile != null) {
      arguments.addAll(List.of("--profile", profile));
    }
    if (region != null) {
      arguments.addAll(List.of("--region", region));
    }
    return arguments;
  }

  URI endpoint() {
    String endpoint = endpointUrl != null ? endpointUrl : System.getenv("WHARF_ENDPOINT");
    if (endpoint == null || endpoint.isBlank()) {
      throw new ParameterException(spec.commandLine(), "Missing --endpoint-url (or WHARF_ENDPOINT)");
    }
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--endpoint-url is not a URL: " + endpoint);
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new ParameterException(spec.commandLine(), "--endpoint-url must look like http://host:port");
    }
    return uri;
  }
}
