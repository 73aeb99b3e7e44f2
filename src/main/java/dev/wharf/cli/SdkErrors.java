package dev.wharf.cli;

import java.io.PrintStream;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Prints an SDK failure the way every command does: {@code wharf: <ErrorCode>: <message>}. */
final class SdkErrors {
  private SdkErrors() {}

  /** Prints the failure to err and returns the exit code 1. */
  static int report(SdkException failure, PrintStream err) {
    if (failure instanceof AwsServiceException service && service.awsErrorDetails() != null) {
      err.println("wharf: " + service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage());
    } else {
      err.println("wharf: " + failure.getMessage());
    }
    return 1;
  }
}
