package dev.wharf.format.ruby;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.error.WharfException;

/**
 * Fuzzes a gem's specification (the YAML of its {@code metadata.gz}) through {@link Gemspec#parse}, then the
 * Marshal documents the index serves from an accepted one ({@link GemMarshal}). Only {@link WharfException} (a
 * 4xx) may come out.
 */
class GemspecFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void specificationsParseOrAreRefusedWithA4xx(byte[] input) {
    Gemspec spec;
    try {
      spec = Gemspec.parse(input);
    } catch (WharfException refused) {
      return;
    }
    GemMarshal.specification(spec);
    GemMarshal.quickSpec(spec);
  }
}
