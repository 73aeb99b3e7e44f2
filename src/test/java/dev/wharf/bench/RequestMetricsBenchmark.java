package dev.wharf.bench;

import dev.wharf.metrics.Metrics;
import dev.wharf.metrics.RequestMeter;
import dev.wharf.metrics.RequestProtocol;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the metrics add to every package-file request: recording its answer in the route's pre-built meter (a
 * latency histogram of 15 buckets and the bytes served, in the Prometheus registry), and counting the token
 * verified and the policy decision. Run with 2 threads to see contention ({@code -t 2}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestMetricsBenchmark {
  private Metrics metrics;
  private RequestMeter tarball;

  @Setup
  public void setUp() {
    metrics = new Metrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    tarball = metrics.request(RequestProtocol.PACKAGE, "npm", "tarball");
  }

  @Benchmark
  public void packageFileRequest() {
    metrics.tokenVerified();
    metrics.policyDecision(dev.wharf.policy.Outcome.ALLOW);
    tarball.record(200, 1_800_000, 57_184);
  }
}
