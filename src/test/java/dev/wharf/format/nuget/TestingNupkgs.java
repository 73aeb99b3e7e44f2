package dev.wharf.format.nuget;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code .nupkg} files with the layout {@code dotnet pack} writes: {@code [Content_Types].xml},
 * {@code _rels/.rels}, {@code ID.nuspec} at the root, {@code lib/TFM/ID.dll}, the readme, and the OPC core
 * properties under {@code package/services/metadata/}; and the multipart body {@code dotnet nuget push} sends.
 */
final class TestingNupkgs {
  static final String BOUNDARY = "nuget-push-boundary-5f0c";

  private TestingNupkgs() {}

  /** A .nuspec as dotnet pack writes it, with a readme and two dependency groups. */
  static String nuspec(String id, String version) {
    return """
        <?xml version="1.0" encoding="utf-8"?>
        <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
          <metadata>
            <id>%s</id>
            <version>%s</version>
            <authors>Contoso, Jane Doe</authors>
            <title>Contoso utilities</title>
            <license type="expression">MIT</license>
            <licenseUrl>https://licenses.nuget.org/MIT</licenseUrl>
            <readme>docs\\README.md</readme>
            <projectUrl>https://example.com/contoso</projectUrl>
            <description>Helpers for Contoso services.</description>
            <tags>contoso utilities</tags>
            <repository type="git" url="https://example.com/contoso.git" commit="0123abcd" />
            <dependencies>
              <group targetFramework="net8.0">
                <dependency id="Newtonsoft.Json" version="13.0.3" exclude="Build,Analyzers" />
              </group>
              <group targetFramework=".NETStandard2.0">
                <dependency id="System.Text.Json" version="[8.0.0, 9.0.0)" />
                <dependency id="Newtonsoft.Json" version="13.0.1" />
              </group>
            </dependencies>
          </metadata>
        </package>
        """.formatted(id, version);
  }

  /** The files of a package named by its .nuspec, in the order dotnet pack writes them. */
  static Map<String, byte[]> files(String id, String nuspec) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("_rels/.rels", ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Relationships xmlns=\"http://schemas.openxmlformats"
        + ".org/package/2006/relationships\"><Relationship Type=\"http://schemas.microsoft.com/packaging/2010/07/manifest\""
        + " Target=\"/" + id + ".nuspec\" Id=\"R1\" /></Relationships>").getBytes(StandardCharsets.UTF_8));
    files.put(id + ".nuspec", nuspec.getBytes(StandardCharsets.UTF_8));
    files.put("lib/net8.0/" + id + ".dll", ("MZ" + "\0".repeat(510) + id).getBytes(StandardCharsets.UTF_8));
    files.put("docs/README.md", ("# " + id + "\n\nHelpers for Contoso services.\n").getBytes(StandardCharsets.UTF_8));
    files.put("[Content_Types].xml", ("<?xml version=\"1.0\" encoding=\"utf-8\"?><Types xmlns=\"http://schemas.openxmlformats"
        + ".org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package"
        + ".relationships+xml\" /><Default Extension=\"nuspec\" ContentType=\"application/octet\" /></Types>")
        .getBytes(StandardCharsets.UTF_8));
    files.put("package/services/metadata/core-properties/4b1c.psmdcp", ("<coreProperties><identifier>" + id
        + "</identifier></coreProperties>").getBytes(StandardCharsets.UTF_8));
    return files;
  }

  static byte[] nupkg(String id, String version) {
    return zip(files(id, nuspec(id, version)));
  }

  static byte[] zip(Map<String, byte[]> files) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        zip.putNextEntry(new ZipEntry(file.getKey()));
        zip.write(file.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The body of a push: one file part named "package", as the NuGet client sends it. */
  static byte[] pushBody(byte[] nupkg) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(("--" + BOUNDARY + "\r\nContent-Type: application/octet-stream\r\nContent-Disposition: form-data;"
        + " name=\"package\"; filename=\"package.nupkg\"\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeBytes(nupkg);
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return body.toByteArray();
  }

  static String pushContentType() {
    return "multipart/form-data; boundary=\"" + BOUNDARY + "\"";
  }

  /** Replaces every occurrence of {@code from} in the bytes by {@code to} (same length): a name written twice. */
  static byte[] replaceAll(byte[] bytes, String from, String to) {
    byte[] find = from.getBytes(StandardCharsets.US_ASCII);
    byte[] replacement = to.getBytes(StandardCharsets.US_ASCII);
    byte[] result = bytes.clone();
    for (int i = 0; i + find.length <= result.length; i++) {
      if (java.util.Arrays.equals(result, i, i + find.length, find, 0, find.length)) {
        System.arraycopy(replacement, 0, result, i, replacement.length);
      }
    }
    return result;
  }
}
