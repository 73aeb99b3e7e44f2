package dev.wharf.format.maven;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Renders {@code maven-metadata.xml} from what the repository holds (never from what a client
 * uploaded): the artifact level (versions, latest, release, lastUpdated) and a SNAPSHOT version's
 * level (the newest timestamped build and the newest file of each classifier and extension).
 * Output depends only on the stored state, so its checksums are stable between requests.
 */
final class MavenMetadata {
  static final DateTimeFormatter LAST_UPDATED = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);

  private MavenMetadata() {}

  /** One file of a SNAPSHOT build: classifier may be null; value is the build part of its name. */
  record SnapshotFile(String classifier, String extension, String value, String updated) {}

  static byte[] artifact(String groupId, String artifactId, List<String> versions, String latest, String release,
      Instant lastUpdated) {
    return write(xml -> {
      element(xml, "groupId", groupId);
      element(xml, "artifactId", artifactId);
      xml.writeStartElement("versioning");
      if (latest != null) {
        element(xml, "latest", latest);
      }
      if (release != null) {
        element(xml, "release", release);
      }
      xml.writeStartElement("versions");
      for (String version : versions) {
        element(xml, "version", version);
      }
      xml.writeEndElement();
      element(xml, "lastUpdated", LAST_UPDATED.format(lastUpdated));
      xml.writeEndElement();
    });
  }

  /** A plugin of a group: its prefix (what {@code mvn prefix:goal} names) and artifactId. */
  record Plugin(String name, String prefix, String artifactId) {}

  /** Group-level metadata: the Maven plugins of a group, for prefix resolution. */
  static byte[] group(List<Plugin> plugins) {
    return write(xml -> {
      xml.writeStartElement("plugins");
      for (Plugin plugin : plugins) {
        xml.writeStartElement("plugin");
        element(xml, "name", plugin.name());
        element(xml, "prefix", plugin.prefix());
        element(xml, "artifactId", plugin.artifactId());
        xml.writeEndElement();
      }
      xml.writeEndElement();
    });
  }

  /**
   * @param timestamp the newest build's timestamp ({@code yyyyMMdd.HHmmss}), null when no build is timestamped
   */
  static byte[] snapshot(String groupId, String artifactId, String version, String timestamp, int buildNumber,
      String lastUpdated, List<SnapshotFile> files) {
    return write(xml -> {
      element(xml, "groupId", groupId);
      element(xml, "artifactId", artifactId);
      element(xml, "version", version);
      xml.writeStartElement("versioning");
      xml.writeStartElement("snapshot");
      if (timestamp != null) {
        element(xml, "timestamp", timestamp);
        element(xml, "buildNumber", Integer.toString(buildNumber));
      } else {
        element(xml, "localCopy", "true");
      }
      xml.writeEndElement();
      element(xml, "lastUpdated", lastUpdated);
      xml.writeStartElement("snapshotVersions");
      for (SnapshotFile file : files) {
        xml.writeStartElement("snapshotVersion");
        if (file.classifier() != null) {
          element(xml, "classifier", file.classifier());
        }
        element(xml, "extension", file.extension());
        element(xml, "value", file.value());
        element(xml, "updated", file.updated());
        xml.writeEndElement();
      }
      xml.writeEndElement();
      xml.writeEndElement();
    });
  }

  private interface Body {
    void write(XMLStreamWriter xml) throws XMLStreamException;
  }

  private static byte[] write(Body body) {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newInstance().createXMLStreamWriter(out);
      xml.writeStartDocument("UTF-8", "1.0");
      out.write("\n");
      xml.writeStartElement("metadata");
      body.write(xml);
      xml.writeEndElement();
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException(e);
    }
    out.write("\n");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void element(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
    xml.writeStartElement(name);
    xml.writeCharacters(value);
    xml.writeEndElement();
  }
}
