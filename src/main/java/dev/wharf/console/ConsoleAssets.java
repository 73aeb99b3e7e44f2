package dev.wharf.console;

import dev.wharf.api.http.Exchange;
import dev.wharf.crypto.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The console's static files (its style sheet and its one script), read from the class path at start,
 * served at {@code /console/static/HASH/NAME}: the name carries the content's hash, so a file may be
 * cached for a year and a new build is fetched anew.
 */
public final class ConsoleAssets {
  private static final String[] FILES = {"console.css", "console.js"};
  private final Map<String, Asset> byName = new LinkedHashMap<>();

  private record Asset(String hash, String contentType, byte[] content) {}

  public ConsoleAssets() {
    for (String name : FILES) {
      try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
        if (in == null) {
          throw new IllegalStateException("the console's " + name + " is missing from the class path");
        }
        byte[] content = in.readAllBytes();
        byName.put(name, new Asset(Sha256.hex(content).substring(0, 16),
            name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8", content));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The URL path of a file, with its hash. */
  public String url(String name) {
    Asset asset = byName.get(name);
    if (asset == null) {
      throw new IllegalArgumentException("no console asset " + name);
    }
    return ConsoleEndpoints.PREFIX + "/static/" + asset.hash() + "/" + name;
  }

  /** Sends the file if the hash is its current one; false when there is no such file. */
  boolean send(Exchange exchange, String hash, String name) {
    Optional<Asset> asset = Optional.ofNullable(byName.get(name)).filter(a -> a.hash().equals(hash));
    if (asset.isEmpty()) {
      return false;
    }
    exchange.setHeader("Cache-Control", "public, max-age=31536000, immutable");
    exchange.send(200, asset.get().contentType(), asset.get().content());
    return true;
  }
}
