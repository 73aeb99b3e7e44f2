package dev.wharf.testing;

import dev.wharf.cli.WharfCommand;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/**
 * A wharf command run in this JVM (e.g. {@code wharf login}), with the credentials as the SDK's
 * system properties, as the SDK's standard chain would find them in a user's shell; the properties
 * are restored afterwards.
 */
public final class TestingWharfCommand {
  private static final List<String> PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.region");

  private TestingWharfCommand() {}

  /** Runs {@code wharf arguments...} and returns its exit code. */
  public static synchronized int execute(AwsCredentials credentials, String... arguments) {
    Map<String, String> saved = new HashMap<>();
    PROPERTIES.forEach(name -> saved.put(name, System.getProperty(name)));
    try {
      System.setProperty("aws.accessKeyId", credentials.accessKeyId());
      System.setProperty("aws.secretAccessKey", credentials.secretAccessKey());
      System.setProperty("aws.region", "us-east-1");
      return WharfCommand.commandLine().execute(arguments);
    } finally {
      saved.forEach((name, value) -> {
        if (value == null) {
          System.clearProperty(name);
        } else {
          System.setProperty(name, value);
        }
      });
    }
  }
}
