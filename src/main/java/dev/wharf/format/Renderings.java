package dev.wharf.format;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.wharf.packages.PackageDocument;
import java.lang.ref.WeakReference;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rendered metadata documents of one kind (npm packuments, PyPI project pages), each kept while the package
 * document it was rendered from is the current one (the package service and the upstream merge hand out the
 * same instance until something changes), within a {@link Budget} on the total size that every kind shares.
 *
 * @param <K> what distinguishes two renderings of one package (its key, the URL it is served under, the variant)
 */
public final class Renderings<K> {
  private final Budget budget;

  /**
   * The source is held weakly: the bound counts the rendered bytes only, and a rendering must not keep alive a
   * document that the package service has let go (once it has, that instance is never handed out again).
   */
  private record Rendering(WeakReference<PackageDocument> source, Optional<RenderedMetadata> rendered) {
    int weight() {
      return 64 + rendered.map(RenderedMetadata::weight).orElse(0);
    }
  }

  /** A rendering's key: which kind it is of (this instance), and what it is within that kind. */
  private record Key(Renderings<?> kind, Object key) {}

  /**
   * The bound on the size of every kind's renderings together, one per server: seven formats each with its own
   * sixteenth of the heap could fill more than a third of it.
   */
  public static final class Budget {
    private final Cache<Key, Rendering> cache;

    public Budget(long maxBytes) {
      this.cache = Caffeine.newBuilder().maximumWeight(maxBytes).<Key, Rendering>weigher((key, r) -> r.weight())
          .build();
    }
  }

  public Renderings(Budget budget) {
    this.budget = java.util.Objects.requireNonNull(budget, "budget");
  }

  /** The rendering of {@code document} under {@code key}: the kept one, or {@code render}'s, then kept. */
  public Optional<RenderedMetadata> get(K key, PackageDocument document,
      Function<PackageDocument, Optional<RenderedMetadata>> render) {
    Key kept = new Key(this, key);
    Rendering cached = budget.cache.getIfPresent(kept);
    if (cached != null && cached.source().get() == document) {
      return cached.rendered();
    }
    Optional<RenderedMetadata> rendered = render.apply(document);
    budget.cache.put(kept, new Rendering(new WeakReference<>(document), rendered));
    return rendered;
  }
}
