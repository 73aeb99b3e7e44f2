package dev.wharf.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Asserts that an SDK call fails the way AWS would make it fail: exception type, error code and HTTP status. */
public final class TestingAwsErrors {
  private TestingAwsErrors() {}

  /** Runs the call, asserts it threw {@code type} with this code and status, and returns it for further checks. */
  public static <E extends AwsServiceException> E awsError(Class<E> type, String code, int status, ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).as("expected %s %s (%s)", type.getSimpleName(), code, status).isInstanceOf(type);
    E error = type.cast(thrown);
    assertThat(error.awsErrorDetails().errorCode()).as("error code of: %s", error.getMessage()).isEqualTo(code);
    assertThat(error.statusCode()).as("HTTP status of: %s", error.getMessage()).isEqualTo(status);
    assertThat(error.requestId()).as("request id").isNotBlank();
    assertThat(error.awsErrorDetails().errorMessage()).as("message").isNotBlank()
        .doesNotContain("Exception").doesNotContain("at dev.wharf");
    return error;
  }
}
