package dev.iommufx.io.imports;

import dev.iommufx.model.Bdf;
import dev.iommufx.model.DomainType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Imports hwloc's XML ({@code lstopo --of xml}, {@code hwloc-gather-topology}; hwloc's {@code hwloc2.dtd} and
 * its 1.x predecessor): PCI functions are {@code <object type="PCIDev" pci_busid="0000:01:00.0"
 * pci_type="0300 [10de:2786] [1458:4116] a1">}, and PCI-to-PCI bridges are {@code <object type="Bridge"
 * bridge_type="1-1" pci_busid=... pci_type="0604 ...">} with the functions below them nested inside. A host
 * bridge ({@code bridge_type="0-1"}, no {@code pci_busid}) starts a root bus. The nesting gives the tree;
 * hwloc knows no IOMMU groups, PCIe port types or ACS, so the engine derives the groups, and by default
 * hwloc's I/O filter keeps only some devices and bridges.
 */
public final class HwlocImporter {
    private static final Pattern PCI_TYPE =
            Pattern.compile("^\\s*([0-9a-fA-F]{4})\\s+\\[([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\\]");

    private HwlocImporter() {
    }

    /**
     * @param xml    the document, {@code lstopo --of xml} output
     * @param source how notes name it: a file name, or "pasted text"
     */
    public static ImportResult importText(String xml, String source) throws ImportException {
        return importDocument(SecureXml.parse(xml, source), source);
    }

    static ImportResult importDocument(Document doc, String source) throws ImportException {
        TopologyAssembler asm = new TopologyAssembler(source);
        walk(doc.getDocumentElement(), null, asm, source);
        asm.note(source, "hwloc XML has no IOMMU groups, PCIe port types or ACS registers, and its I/O filter"
                + " may have left out devices and bridges: the groups the engine derives are coarser than the"
                + " kernel's");
        return asm.build(source, "Imported from hwloc XML (" + source + ").", DomainType.DMA_FQ);
    }

    private static void walk(Element parent, String pciParent, TopologyAssembler asm, String source)
            throws ImportException {
        for (Element o : SecureXml.children(parent, "object")) {
            String type = o.getAttribute("type");
            String busid = o.getAttribute("pci_busid");
            if ((type.equals("PCIDev") || type.equals("Bridge")) && !busid.isEmpty()) {
                String where = source + ": object " + (o.getAttribute("gp_index").isEmpty()
                        ? busid : "gp_index " + o.getAttribute("gp_index"));
                Bdf bdf = Bdf.parseOrNull(busid);
                if (bdf == null) {
                    asm.note(where, "pci_busid \"" + busid + "\" is not a PCI address; skipped with its children");
                    continue;
                }
                if (asm.existing(bdf) != null) {
                    asm.note(where, bdf + " appears twice; the second is skipped");
                    continue;
                }
                DeviceDraft d = asm.device(bdf, where);
                d.parent = pciParent;
                d.bridge = type.equals("Bridge");
                Matcher m = PCI_TYPE.matcher(o.getAttribute("pci_type"));
                if (m.find()) {
                    d.pciClass = Integer.parseInt(m.group(1), 16) << 8;
                    d.vendor = Integer.parseInt(m.group(2), 16);
                    d.device = Integer.parseInt(m.group(3), 16);
                    if (!LspciDescription.knownBaseClass(d.pciClass)) {
                        asm.note(where, bdf + String.format(": unknown class %04x; kept", d.pciClass >> 8));
                    }
                } else {
                    asm.note(where, bdf + ": no readable pci_type; class and IDs unknown");
                }
                d.label = name(o);
                walk(o, bdf.toString(), asm, source);
            } else if (type.equals("Bridge")) {
                walk(o, null, asm, source); // a host bridge: a root bus below
            } else {
                walk(o, pciParent, asm, source);
            }
        }
    }

    /** hwloc 1.x writes a {@code name} attribute; 2.x writes {@code PCIVendor}/{@code PCIDevice} infos. */
    private static String name(Element o) {
        if (!o.getAttribute("name").isEmpty()) {
            return o.getAttribute("name");
        }
        String vendor = null;
        String device = null;
        for (Element info : SecureXml.children(o, "info")) {
            if (info.getAttribute("name").equals("PCIVendor")) {
                vendor = info.getAttribute("value");
            } else if (info.getAttribute("name").equals("PCIDevice")) {
                device = info.getAttribute("value");
            }
        }
        if (device != null && vendor != null) {
            return vendor + " " + device;
        }
        return device != null ? device : vendor;
    }
}
