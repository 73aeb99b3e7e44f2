package dev.wharf.console;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * Reads what a query-protocol operation answered ({@code AwsQueryEndpoints.call}: the members of its
 * result, as XML) the way an SDK reads them: a list's {@code member} elements as name → text maps.
 */
final class QueryResults {
  private static final DocumentBuilderFactory FACTORY = DocumentBuilderFactory.newInstance();

  static {
    try {
      FACTORY.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      FACTORY.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      FACTORY.setExpandEntityReferences(false);
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException(e);
    }
  }

  private QueryResults() {}

  /** The members of the list element {@code list} (a direct child of the result), each as its children's texts. */
  static List<Map<String, String>> members(String result, String list) {
    Element root = parse(result);
    List<Map<String, String>> members = new ArrayList<>();
    for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element element && element.getTagName().equals(list)) {
        for (Node member = element.getFirstChild(); member != null; member = member.getNextSibling()) {
          if (member instanceof Element m && m.getTagName().equals("member")) {
            Map<String, String> fields = new LinkedHashMap<>();
            for (Node field = m.getFirstChild(); field != null; field = field.getNextSibling()) {
              if (field instanceof Element f) {
                fields.put(f.getTagName(), f.getTextContent());
              }
            }
            members.add(fields);
          }
        }
      }
    }
    return members;
  }

  /** The text of a direct child of the result (e.g. a NextToken), or null when there is none. */
  static String text(String result, String name) {
    Element root = parse(result);
    for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
      if (child instanceof Element element && element.getTagName().equals(name)) {
        return element.getTextContent();
      }
    }
    return null;
  }

  private static Element parse(String result) {
    try {
      return FACTORY.newDocumentBuilder().parse(new InputSource(new StringReader("<Result>" + result + "</Result>")))
          .getDocumentElement();
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalStateException("an operation answered XML that does not parse", e);
    }
  }
}
