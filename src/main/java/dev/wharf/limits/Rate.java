package dev.wharf.limits;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A request rate with a burst: {@code requests} per {@code period} on average, and up to {@code burst}
 * at once after a quiet spell (a token bucket of {@code burst} tokens refilled at the rate).
 *
 * <p>Written {@code 50/s}, {@code 600/min} or {@code 50/s,burst=100}; the burst defaults to one
 * period's worth.
 */
public record Rate(long requests, Duration period, long burst) {
  /** {@code N/s} or {@code N/min}, optionally followed by {@code ,burst=N}. */
  private static final Pattern SYNTAX = Pattern.compile("([0-9]{1,9})/(s|sec|second|m|min|minute)(?:,burst=([0-9]{1,9}))?");

  public Rate {
    if (requests < 1) {
      throw new IllegalArgumentException("a rate allows at least 1 request per period, got " + requests);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("a burst is at least 1 request, got " + burst);
    }
    if (period.isZero() || period.isNegative()) {
      throw new IllegalArgumentException("a rate's period is positive");
    }
  }

  /** {@code requests} per second, with a burst of {@code burst}. */
  public static Rate perSecond(long requests, long burst) {
    return new Rate(requests, Duration.ofSeconds(1), burst);
  }

  /** {@code requests} per second, with a burst of one second's worth. */
  public static Rate perSecond(long requests) {
    return perSecond(requests, requests);
  }

  /**
   * Reads {@code 50/s}, {@code 600/min}, {@code 50/s,burst=100}.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static Rate parse(String text) {
    Matcher matcher = SYNTAX.matcher(text.strip().toLowerCase(Locale.ROOT).replace(" ", ""));
    if (!matcher.matches()) {
      throw new IllegalArgumentException("'" + text.strip() + "' is not a rate such as 50/s, 600/min or 50/s,burst=100");
    }
    long requests = Long.parseLong(matcher.group(1));
    Duration period = matcher.group(2).startsWith("s") ? Duration.ofSeconds(1) : Duration.ofMinutes(1);
    long burst = matcher.group(3) == null ? requests : Long.parseLong(matcher.group(3));
    if (requests < 1 || burst < 1) {
      throw new IllegalArgumentException("'" + text.strip() + "': a rate and a burst are at least 1");
    }
    return new Rate(requests, period, burst);
  }

  /** How long an emptied bucket takes to fill up again: after that, its state is that of a new one. */
  public Duration refillTime() {
    return period.multipliedBy(burst).dividedBy(requests).plusNanos(1);
  }

  @Override
  public String toString() {
    String unit = period.equals(Duration.ofSeconds(1)) ? "s" : "min";
    return requests + "/" + unit + (burst == requests ? "" : ",burst=" + burst);
  }
}
