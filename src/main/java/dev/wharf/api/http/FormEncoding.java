package dev.wharf.api.http;

import dev.wharf.error.WharfException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Decoding of application/x-www-form-urlencoded text (query strings and query-protocol bodies). */
public final class FormEncoding {
  private FormEncoding() {}

  /**
   * Adds each name=value pair to the map; a repeated name is refused, as AWS refuses it.
   *
   * @param skipSignatureParameters leave out X-Amz-* (presigned SigV4 parameters)
   */
  public static void decodeInto(String encoded, Map<String, String> parameters, boolean skipSignatureParameters) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name;
      String value;
      try {
        name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new WharfException.Invalid("MalformedQueryString", "The parameters are not correctly percent-encoded");
      }
      if (skipSignatureParameters && name.startsWith("X-Amz-")) {
        continue;
      }
      if (parameters.putIfAbsent(name, value) != null) {
        throw new WharfException.Invalid("MalformedQueryString", "Parameter " + name + " is repeated");
      }
    }
  }
}
