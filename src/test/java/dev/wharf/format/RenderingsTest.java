package dev.wharf.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wharf.packages.PackageDocument;
import dev.wharf.packages.PackageKey;
import dev.wharf.packages.PackageSummary;
import dev.wharf.testing.TestingGc;
import java.lang.ref.WeakReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RenderingsTest {
  static PackageDocument document() {
    PackageKey key = new PackageKey("111122223333", "acme", "repo", "npm", "", "lib");
    return new PackageDocument(new PackageSummary(key, Instant.EPOCH, Instant.EPOCH), List.of(), Map.of());
  }

  @Test
  void aRenderingIsKeptWhileItsSourceIsTheSameInstanceAndDoesNotKeepTheSourceAlive() throws InterruptedException {
    Renderings<String> renderings = new Renderings<>(new Renderings.Budget(1 << 20));
    AtomicInteger rendered = new AtomicInteger();
    PackageDocument source = document();
    Optional<RenderedMetadata> first = renderings.get("lib", source, d -> {
      rendered.incrementAndGet();
      return Optional.of(RenderedMetadata.of("{}", Instant.EPOCH));
    });
    assertThat(renderings.get("lib", source, d -> Optional.of(RenderedMetadata.of("{\"other\":1}", Instant.EPOCH))))
        .as("the same source: the kept rendering").isSameAs(first);
    assertThat(rendered).hasValue(1);

    WeakReference<PackageDocument> held = new WeakReference<>(source);
    source = null;
    assertThat(TestingGc.collected(held)).as("the cache bounds rendered bytes only: it must not hold the source")
        .isTrue();
    assertThat(renderings.get("lib", document(), d -> Optional.of(RenderedMetadata.of("{\"new\":1}", Instant.EPOCH))))
        .as("another source: rendered anew").get().isNotSameAs(first.orElseThrow());
  }

  @Test
  void kindsSharingABudgetKeepTheirRenderingsApart() {
    Renderings.Budget budget = new Renderings.Budget(1 << 20);
    Renderings<String> packuments = new Renderings<>(budget);
    Renderings<String> pages = new Renderings<>(budget);
    PackageDocument source = document();
    RenderedMetadata packument = RenderedMetadata.of("{\"packument\":1}", Instant.EPOCH);
    RenderedMetadata page = RenderedMetadata.of("<html></html>", Instant.EPOCH);
    packuments.get("lib", source, d -> Optional.of(packument));
    assertThat(pages.get("lib", source, d -> Optional.of(page))).as("the same key in another kind").containsSame(page);
    assertThat(packuments.get("lib", source, d -> Optional.empty())).containsSame(packument);
    assertThat(pages.get("lib", source, d -> Optional.empty())).containsSame(page);
  }
}
