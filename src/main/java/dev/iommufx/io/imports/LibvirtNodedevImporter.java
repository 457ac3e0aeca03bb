package dev.iommufx.io.imports;

import dev.iommufx.model.Bdf;
import dev.iommufx.model.DomainType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Imports libvirt node-device XML, as {@code virsh nodedev-dumpxml pci_0000_01_00_0} prints it (libvirt,
 * "Node devices" format, {@code docs/formatnode.rst}): one {@code <device>}, several concatenated, or any
 * number inside a wrapping root element. Of each device with {@code <capability type='pci'>}: the address
 * ({@code <domain>}, {@code <bus>}, {@code <slot>}, {@code <function>}, decimal), {@code <vendor id='0x8086'>},
 * {@code <product id='0x1234'>} and its text as the name, {@code <class>} (newer libvirt), the
 * {@code <driver><name>}, the parent ({@code <parent>pci_0000_00_1c_0</parent>}; {@code computer} is the root),
 * {@code <iommuGroup number='N'>} with its {@code <address>} members (a member that was not dumped is still a member:
 * it is listed with its address alone, its driver unknown), a nested {@code pci-bridge} capability,
 * and {@code phys_function}. A dumped device without {@code <driver>} has no driver bound. The XML has no PCIe port
 * types or ACS registers: the groups are libvirt's. Other devices (net, usb, scsi...) are out of scope and only
 * counted.
 */
public final class LibvirtNodedevImporter {
    private static final Pattern NODEDEV_NAME =
            Pattern.compile("pci_([0-9a-fA-F]{4,5})_([0-9a-fA-F]{2})_([0-9a-fA-F]{2})_([0-7])");

    private LibvirtNodedevImporter() {
    }

    /**
     * @param xml    one or more {@code virsh nodedev-dumpxml} documents, concatenated or under one root
     * @param source how notes name it: a file name, or "pasted text"
     */
    public static ImportResult importText(String xml, String source) throws ImportException {
        return importDocument(parse(xml, source), source);
    }

    /** Parses one document, or several {@code <device>} documents pasted one after the other. */
    static Document parse(String xml, String source) throws ImportException {
        try {
            return SecureXml.parse(xml, source);
        } catch (ImportException first) {
            String body = withoutXmlDeclarations(xml);
            if (body.contains("<!DOCTYPE")) {
                throw first;
            }
            try {
                return SecureXml.parse("<nodedevs>" + body + "</nodedevs>", source);
            } catch (ImportException second) {
                throw first;
            }
        }
    }

    /** The text without its {@code <?xml ... ?>} declarations, in one pass (several documents pasted together). */
    static String withoutXmlDeclarations(String xml) {
        StringBuilder out = new StringBuilder(xml.length());
        int from = 0;
        for (int at = xml.indexOf("<?xml", from); at >= 0; at = xml.indexOf("<?xml", from)) {
            int close = xml.indexOf('>', at);
            if (close < 0) {
                break;
            }
            out.append(xml, from, at);
            if (xml.charAt(close - 1) != '?' || close - 1 < at + 5) {
                out.append(xml, at, close + 1); // not a declaration: kept as it is
            }
            from = close + 1;
        }
        return out.append(xml, from, xml.length()).toString();
    }

    static ImportResult importDocument(Document doc, String source) throws ImportException {
        TopologyAssembler asm = new TopologyAssembler(source);
        Map<Bdf, Integer> listedMembers = new LinkedHashMap<>();
        Map<Bdf, String> listedBy = new LinkedHashMap<>();
        int others = 0;
        int classless = 0;
        NodeList all = doc.getElementsByTagName("device");
        for (int i = 0; i < all.getLength(); i++) {
            Element dev = (Element) all.item(i);
            String name = SecureXml.childText(dev, "name");
            String where = source + ": " + (name == null ? "device #" + (i + 1) : name);
            Element pci = pciCapability(dev);
            if (pci == null) {
                others++;
                continue;
            }
            Bdf bdf = address(pci, where, asm);
            if (bdf == null) {
                continue;
            }
            if (asm.existing(bdf) != null) {
                asm.note(where, bdf + " is described twice; the second description is skipped");
                continue;
            }
            DeviceDraft d = asm.device(bdf, where);
            d.parent = parent(SecureXml.childText(dev, "parent"), SecureXml.childText(dev, "path"), where, asm);
            d.vendor = hexAttr(SecureXml.child(pci, "vendor"), "id", where, asm);
            d.device = hexAttr(SecureXml.child(pci, "product"), "id", where, asm);
            String product = SecureXml.childText(pci, "product");
            d.label = product == null || product.isEmpty() ? null : product;
            String cls = SecureXml.childText(pci, "class");
            d.pciClass = cls == null ? null : hex(cls, where, asm);
            classless += cls == null ? 1 : 0;
            Element driver = SecureXml.child(dev, "driver"); // libvirt prints it only for a bound device
            asm.stateDriver(d, driver == null ? null : SecureXml.childText(driver, "name"), where);
            for (Element cap : SecureXml.children(pci, "capability")) {
                String type = cap.getAttribute("type");
                if (type.equals("pci-bridge") || type.equals("cardbus-bridge")) {
                    d.bridge = true;
                } else if (type.equals("phys_function")) {
                    Element a = SecureXml.child(cap, "address");
                    Bdf pf = a == null ? null : addressAttrs(a);
                    d.physfn = pf == null ? null : pf.toString();
                }
            }
            Element group = SecureXml.child(pci, "iommuGroup");
            if (group != null) {
                Integer n = groupNumber(group.getAttribute("number"));
                if (n == null) {
                    asm.note(where, "iommuGroup number \"" + ListingText.abbreviate(group.getAttribute("number"))
                            + "\" is not a group number (" + LineScanner.groupNumberExpected() + ")");
                    continue;
                }
                d.group = n;
                for (Element a : SecureXml.children(group, "address")) {
                    Bdf member = addressAttrs(a);
                    if (member != null && listedMembers.putIfAbsent(member, n) == null) {
                        listedBy.put(member, where);
                    }
                }
            }
        }
        int undescribed = 0;
        for (Map.Entry<Bdf, Integer> m : listedMembers.entrySet()) {
            DeviceDraft d = asm.existing(m.getKey());
            String where = listedBy.get(m.getKey());
            if (d == null) { // a member all the same: its address is all the XML says of it
                d = asm.device(m.getKey(), where);
                undescribed++;
            }
            d.group = asm.merge(d, d.group, m.getValue(), "IOMMU group", where);
        }
        if (undescribed > 0) {
            asm.note(source, undescribed + " group member(s) named in <iommuGroup> but not described (their IDs,"
                    + " class and driver are unknown: dump them too, virsh nodedev-dumpxml pci_DDDD_BB_SS_F)");
        }
        if (classless > 0) {
            asm.note(source, classless + " PCI device(s) without <class> (older libvirt): class unknown, 000000 or"
                    + " a bridge's 060400");
        }
        if (others > 0) {
            asm.note(source, others + " non-PCI node device(s) skipped (out of scope)");
        }
        return asm.build(source, "Imported from libvirt node-device XML (" + source + ").", DomainType.DMA_FQ);
    }

    private static Element pciCapability(Element dev) {
        for (Element cap : SecureXml.children(dev, "capability")) {
            if (cap.getAttribute("type").equals("pci")) {
                return cap;
            }
        }
        return null;
    }

    private static Bdf address(Element pci, String where, TopologyAssembler asm) {
        Integer domain = number(SecureXml.childText(pci, "domain"));
        Integer bus = number(SecureXml.childText(pci, "bus"));
        Integer slot = number(SecureXml.childText(pci, "slot"));
        Integer function = number(SecureXml.childText(pci, "function"));
        if (domain != null && bus != null && slot != null && function != null) {
            Bdf bdf = Bdf.ofOrNull(domain, bus, slot, function);
            if (bdf != null) {
                return bdf;
            }
        }
        asm.note(where, "no valid <domain>/<bus>/<slot>/<function>; skipped");
        return null;
    }

    /** {@code <address domain='0x0000' bus='0x00' slot='0x1c' function='0x0'/>}. */
    private static Bdf addressAttrs(Element a) {
        Integer domain = number(a.getAttribute("domain"));
        Integer bus = number(a.getAttribute("bus"));
        Integer slot = number(a.getAttribute("slot"));
        Integer function = number(a.getAttribute("function"));
        return domain == null || bus == null || slot == null || function == null ? null
                : Bdf.ofOrNull(domain, bus, slot, function);
    }

    private static String parent(String parent, String path, String where, TopologyAssembler asm) {
        if (parent != null && !parent.isEmpty()) {
            Matcher m = NODEDEV_NAME.matcher(parent);
            Bdf bdf = m.matches() ? Bdf.parseOrNull(m.group(1) + ":" + m.group(2) + ":" + m.group(3) + "." + m.group(4))
                    : null;
            if (bdf != null) {
                return bdf.toString();
            }
            if (!parent.equals("computer")) {
                asm.note(where, "parent \"" + ListingText.abbreviate(parent) + "\" is not a PCI device"
                        + (m.matches() ? " (slot out of range: 00 to 1f)" : "") + "; placed on a root bus");
            }
            return null;
        }
        if (path != null) { // <path>/sys/devices/pci0000:00/0000:00:02.2/0000:05:00.1</path>
            List<String> seg = FileTree.split(path);
            Bdf p = seg.size() >= 2 ? Bdf.parseOrNull(seg.get(seg.size() - 2)) : null;
            return p == null ? null : p.toString();
        }
        return null;
    }

    /** A group number in decimal or with 0x, from 0 to the limit; null otherwise. */
    private static Integer groupNumber(String s) {
        Integer n = number(s);
        return n == null || n < 0 || n > dev.iommufx.io.Limits.GROUP_NUMBER ? null : n;
    }

    /** Decimal, or hexadecimal with 0x, as libvirt writes them; null if neither. */
    static Integer number(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.strip();
        try {
            return t.startsWith("0x") || t.startsWith("0X") ? Integer.parseInt(t.substring(2), 16)
                    : Integer.parseInt(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer hexAttr(Element e, String attr, String where, TopologyAssembler asm) {
        return e == null || e.getAttribute(attr).isEmpty() ? null : hex(e.getAttribute(attr), where, asm);
    }

    private static Integer hex(String s, String where, TopologyAssembler asm) {
        String t = s.strip();
        try {
            return Integer.parseInt(t.startsWith("0x") || t.startsWith("0X") ? t.substring(2) : t, 16);
        } catch (NumberFormatException e) {
            asm.note(where, "\"" + s + "\" is not a hex number; ignored");
            return null;
        }
    }
}
