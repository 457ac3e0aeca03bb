package dev.iommufx.io.imports;

import static dev.iommufx.io.imports.HostileCorpus.read;
import static dev.iommufx.io.imports.HostileCorpus.refused;
import static dev.iommufx.io.imports.HostileCorpus.text;

import dev.iommufx.io.imports.HostileCorpus.Case;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Hostile listings (the group loop, lspci -nnvmm, lspci -tv, ls-iommu) and XML (libvirt, hwloc): lines made
 * for backtracking patterns, out-of-range numbers, sizes, nesting, entities, and the prologs of the sniffer.
 */
final class HostileTextCases {
    private static final String GROUP_LINE = "IOMMU Group 1 00:01.0 PCI bridge [0604]: Intel Corporation Device [8086:1901]";
    private static final String LIMIT_LINE = "a line longer than 4,096 characters";

    private HostileTextCases() {
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        listings(c);
        quadratic(c);
        xml(c);
        return c;
    }

    private static void listings(List<Case> c) {
        for (String n : new String[] {"99999999999", "2147483648", "-1", "1048576", "99999999999999999999999"}) {
            c.add(refused("loop-group-" + n + ".txt", "groups", "the group number is out of range",
                    d -> text(d, "loop-group-" + n + ".txt", "IOMMU Group " + n
                            + " 00:01.0 PCI bridge [0604]: Intel [8086:1901]\n")));
            c.add(refused("lsiommu-group-" + n + ".txt", "groups", "the group number is out of range",
                    d -> text(d, "lsiommu-group-" + n + ".txt", "IOMMU Group " + n
                            + ": 0000:00:01.0 PCI bridge [0604] Intel [8086:1901]\n")));
            c.add(read("vmm-group-" + n + ".txt", "groups", "is not a group number",
                    d -> text(d, "vmm-group-" + n + ".txt", "Slot:\t00:01.0\nClass:\tPCI bridge [0604]\n"
                            + "Vendor:\tIntel [8086]\nDevice:\tx [1901]\nIOMMUGroup:\t" + n + "\n")));
        }
        c.add(read("loop-group-at-limit.txt", "groups", "IOMMU group 1048575",
                d -> text(d, "loop-group-at-limit.txt", GROUP_LINE.replace("Group 1 ", "Group 1048575 ") + "\n")));
        for (String dev : new String[] {"ff.0", "20.0", "1f.8"}) {
            c.add(read("tree-slot-" + dev + ".txt", "groups", "",
                    d -> text(d, "tree-slot-" + dev + ".txt", "-[0000:00]-+-00.0  Intel\n           \\-" + dev
                            + "  Bad\n")));
        }
        c.add(read("tree-bridge-slot-ff.txt", "groups", "slot out of range",
                d -> text(d, "tree-bridge-slot-ff.txt", "-[0000:00]-+-00.0  Intel\n           \\-ff.0-[01]----00.0  X\n")));
        c.add(read("tree-domain-fffff.txt", "groups", "",
                d -> text(d, "tree-domain-fffff.txt", "-[fffff:ff]-+-1f.7  Intel\n")));
        c.add(refused("listing-larger-than-16MiB.txt", "groups", "larger than the limit of 16 MiB",
                d -> text(d, "listing-larger-than-16MiB.txt", (GROUP_LINE + "\n").repeat((16 << 20) / 70 + 1))));
        c.add(refused("listing-too-many-lines.txt", "groups", "more than 1,000,000 lines",
                d -> text(d, "listing-too-many-lines.txt", GROUP_LINE + "\n" + "\n".repeat(1_000_000))));
        c.add(refused("listing-100001-devices.txt", "groups", "more than 100,000 PCI functions",
                d -> text(d, "listing-100001-devices.txt", manyDevices(100_001))).heavyToo());
        c.add(refused("listing-million-notes.txt", "groups", "no PCI devices found",
                d -> text(d, "listing-million-notes.txt", "IOMMU Group 1 z\n".repeat(999_999))).heavyToo());
        c.add(refused("listing-nothing-known.txt", "groups", "no IOMMU group listing",
                d -> text(d, "listing-nothing-known.txt", "zz\n".repeat(500_000))));
        c.add(refused("listing-binary.txt", "groups", "", d -> HostileCorpus.bytes(d, "listing-binary.txt",
                randomBytes(1 << 20, 1))));
        c.add(read("listing-nul-in-names.txt", "groups", "IOMMU group 1",
                d -> text(d, "listing-nul-in-names.txt", GROUP_LINE.replace("Device", "De\0vice") + "\n"
                        + "\tKernel driver in use: nv\0idia\n")));
        c.add(read("listing-cr-only.txt", "groups", "IOMMU group 1",
                d -> text(d, "listing-cr-only.txt", (GROUP_LINE + "\r").repeat(3))));
        c.add(read("listing-escapes.txt", "groups", "IOMMU group 1",
                d -> text(d, "listing-escapes.txt", GROUP_LINE.replace("Device", "\u001b[2J\u001b]0;x\u0007") + "\n")));
        c.add(refused("listing-utf16.txt", "groups", "", d -> HostileCorpus.bytes(d, "listing-utf16.txt",
                (GROUP_LINE + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_16))));
        c.add(refused("vmm-bad-slots.txt", "groups", "no PCI devices found",
                d -> text(d, "vmm-bad-slots.txt", "Slot:\t00:ff.0\n\nSlot:\t0000:100:00.0\n\nSlot:\t" + "0".repeat(4000)
                        + "\n")));
    }

    /** Lines that take backtracking patterns quadratic (or worse) time. */
    private static void quadratic(List<Case> c) {
        c.add(refused("space-name-million.txt", "groups", LIMIT_LINE,
                d -> text(d, "space-name-million.txt", "IOMMU Group 1 00:01.0 PCI bridge [0604]: " + " ".repeat(1_000_000)
                        + "x [8086:1901]\n")).heavyToo());
        c.add(refused("tree-dashes-million.txt", "groups", LIMIT_LINE,
                d -> text(d, "tree-dashes-million.txt", "-" + "-".repeat(1_000_000) + "\n")).heavyToo());
        String spaces = " ".repeat(4_000);
        String dashes = "-".repeat(4_000);
        c.add(read("space-names-4000-lines.txt", "groups", "IOMMU group 1", d -> text(d, "space-names-4000-lines.txt",
                ("IOMMU Group 1 00:01.0 PCI bridge [0604]: a" + spaces.substring(0, 3_900) + "b [8086:1901] (rev"
                        + "\n").repeat(4_000))).heavyToo());
        c.add(read("tree-dash-lines.txt", "groups", "", d -> text(d, "tree-dash-lines.txt",
                "-[0000:00]-+-00.0  Intel\n" + (" " + dashes + "x\n").repeat(4_000))).heavyToo());
        c.add(read("tree-plus-dash-lines.txt", "groups", "", d -> text(d, "tree-plus-dash-lines.txt",
                "-[0000:00]-+-00.0  Intel\n" + ("|" + "-+".repeat(2_000) + "\n").repeat(4_000))));
        c.add(read("vmm-space-devices.txt", "groups", "", d -> text(d, "vmm-space-devices.txt",
                ("Slot:\t00:01.0\nClass:\tx [0604]\nVendor:\tIntel [8086]\nDevice:\ta" + spaces + "b [1901x\n\n")
                        .repeat(2_000))));
        c.add(read("vmm-bracket-values.txt", "groups", "", d -> text(d, "vmm-bracket-values.txt",
                ("Slot:\t00:01.0\nClass:\t" + "[0604".repeat(800) + "\nVendor:\t" + "[8086]x".repeat(500) + "\n\n")
                        .repeat(1_000))));
        c.add(read("lsiommu-brackets.txt", "groups", "", d -> text(d, "lsiommu-brackets.txt",
                ("IOMMU Group 1: 0000:00:01.0 " + "[1234]x".repeat(580) + "\n").repeat(2_000))));
        c.add(read("loop-id-pairs.txt", "groups", "", d -> text(d, "loop-id-pairs.txt",
                ("IOMMU Group 1 00:01.0 x " + "[8086:1901".repeat(370) + "\n").repeat(2_000))));
        c.add(read("driver-line-long.txt", "groups", "", d -> text(d, "driver-line-long.txt", GROUP_LINE + "\n"
                + ("\tKernel driver in use: " + "x ".repeat(2_000) + "\n").repeat(2_000))));
        c.add(read("ls-headers-on-one-line.txt", "groups", "IOMMU group 1", d -> text(d, "ls-headers-on-one-line.txt",
                ("/sys/kernel/iommu_groups/1/devices: 0000:00:01.0 ".repeat(80) + "\n").repeat(4_000))).heavyToo());
        c.add(read("ls-long-quotes.txt", "groups", "IOMMU group 1", d -> text(d, "ls-long-quotes.txt",
                "/sys/kernel/iommu_groups/1/devices:\n0000:00:01.0\n" + ("lrwxrwxrwx 1 r r 0 " + "'a ".repeat(1_300)
                        + "x' -> " + "../".repeat(20) + "\n").repeat(4_000))).heavyToo());
        c.add(read("klog-brackets.txt", "groups", "IOMMU group 1", d -> text(d, "klog-brackets.txt",
                "[    0.1] pci 0000:00:01.0: Adding to iommu group 1\n" + ("[ 1.1" + "[ 1,".repeat(900) + "\n")
                        .repeat(4_000))).heavyToo());
        c.add(read("gist-and-hash-blanks.txt", "groups", "IOMMU group 2", d -> text(d, "gist-and-hash-blanks.txt",
                ("Group 2:\t[8086:1901] [R] 00:01.0 " + spaces.substring(0, 3_900) + "x\n"
                        + "### Group 2 ### " + "#".repeat(3_900) + "\n").repeat(2_000))).heavyToo());
        c.add(refused("group-header-spaces.txt", "groups", "no PCI devices found", d -> text(d, "group-header-spaces.txt",
                ("IOMMU" + spaces.substring(0, 1_000) + "Group" + spaces.substring(0, 1_000) + "1" + spaces
                        .substring(0, 1_000) + ":" + spaces.substring(0, 1_000) + "\n").repeat(4_000))));
    }

    private static void xml(List<Case> c) {
        c.add(refused("libvirt-deep.xml", "groups", "nested deeper than 300 levels",
                d -> text(d, "libvirt-deep.xml", "<device>" + "<a>".repeat(200_000) + "</a>".repeat(200_000)
                        + "</device>")).heavyToo());
        c.add(refused("hwloc-deep.xml", "groups", "nested deeper than 300 levels",
                d -> text(d, "hwloc-deep.xml", "<topology>" + "<object type=\"Machine\">".repeat(100_000)
                        + "</object>".repeat(100_000) + "</topology>")));
        c.add(refused("hwloc-bridge-chain.xml", "groups", "levels below its root bus",
                d -> text(d, "hwloc-bridge-chain.xml", hwlocChain(290))));
        c.add(refused("xml-declarations.xml", "groups", "", d -> text(d, "xml-declarations.xml",
                "<?xml version=\"1.0\"".repeat(500_000))).heavyToo());
        c.add(refused("xml-unclosed-comments.xml", "groups", "", d -> text(d, "xml-unclosed-comments.xml",
                "<!--".repeat(1_000_000))).heavyToo());
        c.add(refused("xml-unclosed-pis.xml", "groups", "", d -> text(d, "xml-unclosed-pis.xml",
                "<?a ".repeat(1_000_000))));
        c.add(refused("xml-doctype-unclosed.xml", "groups", "", d -> text(d, "xml-doctype-unclosed.xml",
                "<!DOCTYPE " + "x".repeat(5_000_000))));
        c.add(refused("xml-many-comments.xml", "groups", "", d -> text(d, "xml-many-comments.xml",
                "<!--x-->".repeat(500_000) + "<topology></topology>")));
        c.add(refused("xml-declarations-device.xml", "groups", "", d -> text(d, "xml-declarations-device.xml",
                "<?xml version=\"1.0\"?><device>".repeat(200_000))));
        c.add(refused("xml-billion-laughs.xml", "groups", "", d -> text(d, "xml-billion-laughs.xml",
                billionLaughs())));
        c.add(read("xml-external-entity.xml", "groups", "IOMMU group", d -> text(d, "xml-external-entity.xml",
                "<!DOCTYPE device [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><device><name>&x;</name>"
                        + "<capability type='pci'><domain>0</domain><bus>0</bus><slot>1</slot><function>0</function>"
                        + "</capability></device>")).withSecret("root:"));
        c.add(refused("xml-many-attributes.xml", "groups", "", d -> {
            StringBuilder b = new StringBuilder("<device");
            for (int i = 0; i < 20_000; i++) {
                b.append(" a").append(i).append("='x'");
            }
            return text(d, "xml-many-attributes.xml", b.append("/>").toString());
        }));
        for (String group : new String[] {"-5", "99999999999", "0x7fffffff", "1048576"}) {
            c.add(read("libvirt-group-" + group + ".xml", "groups", "is not a group number",
                    d -> text(d, "libvirt-group-" + group + ".xml", libvirt("0", "0", "1", "0", group, ""))));
        }
        c.add(read("libvirt-parent-slot-ff.xml", "groups", "slot out of range",
                d -> text(d, "libvirt-parent-slot-ff.xml", libvirt("0", "0", "1", "0", "1",
                        "<parent>pci_0000_00_ff_0</parent>"))));
        String[][] bad = {{"0", "0", "32", "0"}, {"0", "0", "1", "9"}, {"-1", "0", "1", "0"}, {"0", "256", "1", "0"},
                {"0x100000", "0", "1", "0"}};
        for (String[] a : bad) {
            String name = "libvirt-address-" + String.join("-", a) + ".xml";
            c.add(refused(name, "groups", "no PCI devices found", d -> text(d, name, libvirt(a[0], a[1], a[2], a[3], "1",
                    ""))));
        }
        c.add(refused("hwloc-bad-busid.xml", "groups", "no PCI devices found", d -> text(d, "hwloc-bad-busid.xml",
                "<topology><object type=\"PCIDev\" pci_busid=\"0000:00:ff.0\" pci_type=\"" + "0".repeat(100_000)
                        + "\"/></topology>")));
    }

    private static String libvirt(String domain, String bus, String slot, String function, String group,
                                  String parent) {
        return "<device><name>pci_x</name>" + parent + "<capability type='pci'><domain>" + domain + "</domain><bus>"
                + bus + "</bus><slot>" + slot + "</slot><function>" + function + "</function><product id='0x1901'>P"
                + "</product><vendor id='0x8086'>V</vendor><iommuGroup number='" + group + "'/></capability></device>";
    }

    private static String hwlocChain(int depth) {
        StringBuilder b = new StringBuilder("<topology><object type=\"Bridge\" bridge_type=\"0-1\">");
        for (int i = 0; i < depth; i++) {
            b.append(String.format("<object type=\"Bridge\" pci_busid=\"%04x:%02x:00.0\" pci_type=\"0604 [8086:1901]\">",
                    i >> 8, i & 0xff));
        }
        return b.append("</object>".repeat(depth)).append("</object></topology>").toString();
    }

    private static String billionLaughs() {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE device [<!ENTITY l0 \"lol\">");
        for (int i = 1; i < 10; i++) {
            b.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        return b.append("]><device><name>&l9;</name></device>").toString();
    }

    private static String manyDevices(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(String.format("IOMMU Group 1 %04x:%02x:%02x.%x PCI bridge [0604]: Intel [8086:1901]%n", i >> 16,
                    (i >> 8) & 0xff, (i >> 3) & 0x1f, i & 7));
        }
        return b.toString();
    }

    static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }
}
