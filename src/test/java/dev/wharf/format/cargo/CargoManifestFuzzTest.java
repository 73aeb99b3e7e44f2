package dev.wharf.format.cargo;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.wharf.error.WharfException;
import dev.wharf.testing.TestingCrates;
import dev.wharf.testing.TestingFuzzFiles;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fuzzes a crate's {@code Cargo.toml} (TOML) as {@link CargoCrate#read} finds and parses it: the input is the
 * manifest, packed as {@code foo-1.0.0/Cargo.toml} of a well-formed crate. Only {@link WharfException} (a 4xx)
 * may come out.
 */
class CargoManifestFuzzTest {

  @FuzzTest(maxDuration = "10s")
  void manifestsParseOrAreRefusedWithA4xx(byte[] input) {
    byte[] crate = TestingCrates.tarGz(Map.of("foo-1.0.0/Cargo.toml", new String(input, StandardCharsets.UTF_8)));
    TestingFuzzFiles.withFile(crate, ".crate", file -> {
      try {
        CargoCrate.read(file, "foo", "1.0.0");
      } catch (WharfException refused) {
        // the documented refusal
      }
    });
  }
}
