package dev.wharf.format;

import java.util.Objects;
import java.util.function.Function;

/**
 * A format whose endpoint is served by a registry of its own, made over the shared {@link FormatContext}:
 * the spec it states once, the context (downloads, limits, spool directory) and the registry, in one place
 * for npm, PyPI, Maven, Cargo, RubyGems, NuGet and Swift.
 *
 * @param <R> the format's registry (its package logic, without HTTP)
 */
public abstract class RegistryFormat<R> implements PackageFormat {
  private final Spec spec;
  protected final FormatContext context;
  protected final R registry;

  protected RegistryFormat(Spec spec, FormatContext context, Function<FormatContext, R> registry) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.context = Objects.requireNonNull(context, "context");
    this.registry = registry.apply(context);
  }

  @Override
  public final Spec spec() {
    return spec;
  }
}
