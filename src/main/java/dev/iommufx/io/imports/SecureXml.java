package dev.iommufx.io.imports;

import dev.iommufx.io.Limits;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The JDK's DOM parser made safe for files from strangers (OWASP XML External Entity Prevention Cheat Sheet,
 * "JAXP DocumentBuilderFactory"): no external general or parameter entities, no external DTD loading or
 * access, no XInclude, entity references not expanded, and secure processing on (entity expansion limits).
 * A {@code DOCTYPE} is allowed because hwloc files carry {@code <!DOCTYPE topology SYSTEM "hwloc2.dtd">};
 * its DTD is never fetched.
 */
final class SecureXml {
    /** The JDK parser's own depth limit (java.xml module, "jdk.xml.maxElementDepth"). */
    private static final String MAX_ELEMENT_DEPTH = "jdk.xml.maxElementDepth";
    /** How the JDK parser words a document deeper than that: "JAXP00010006: The element ... has a depth of". */
    private static final String DEPTH_CODE = "JAXP00010006";

    private SecureXml() {
    }

    static Document parse(String text, String source) throws ImportException {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            f.setAttribute(MAX_ELEMENT_DEPTH, String.valueOf(Limits.XML_DEPTH));
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            f.setValidating(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            b.setErrorHandler(new DefaultHandler() {
                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b.parse(new InputSource(new StringReader(text)));
        } catch (SAXParseException e) {
            throw new ImportException(source + ":" + e.getLineNumber() + ":" + e.getColumnNumber(),
                    problem(String.valueOf(e.getMessage())), List.of(), e);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new ImportException(source, "unreadable XML: " + e.getMessage(), List.of(), e);
        }
    }

    /** The parser's message in the readers' words: its own limits named as limits, without its codes. */
    private static String problem(String message) {
        if (message.contains(DEPTH_CODE)) {
            return "elements nested deeper than " + Limits.XML_DEPTH + " levels (the limit)";
        }
        if (message.startsWith("JAXP") && message.indexOf(": ") > 0) { // the JDK's other limits (entities...)
            return "beyond a limit of the XML reader: " + message.substring(message.indexOf(": ") + 2);
        }
        return "malformed XML: " + message;
    }

    /** The element children of a node with a given tag. */
    static List<Element> children(Node parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }

    static Element child(Node parent, String tag) {
        List<Element> c = children(parent, tag);
        return c.isEmpty() ? null : c.get(0);
    }

    /** The trimmed text of a child element, or null. */
    static String childText(Node parent, String tag) {
        Element e = child(parent, tag);
        return e == null ? null : e.getTextContent().strip();
    }
}
