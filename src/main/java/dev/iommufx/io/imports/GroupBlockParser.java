package dev.iommufx.io.imports;

import dev.iommufx.io.Limits;
import dev.iommufx.model.Bdf;
import dev.iommufx.model.BusType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Group listings of other scripts people paste, each a group header followed by its members:
 * <ul>
 * <li>{@link Kind#HASH_BLOCKS} "lsgroup.sh" (Arch forum, copied in many repositories): {@code ### Group N ###} then
 *     {@code lspci -s} or {@code lspci -nn -s} lines ({@code 00:1c.0 PCI bridge: Intel ...}); an author's column
 *     before the line ({@code Y}, {@code ?}) is skipped;</li>
 * <li>{@link Kind#GIST} the r15ch13 gist "iommu.sh": {@code Group N:<TAB>[vvvv:dddd] [R] BB:DD.F  Class  Name}, the
 *     next members as {@code <TAB><TAB>[vvvv:dddd] ...}, and {@code USB:} lines, which are not members but the USB
 *     devices below the controller above; {@code [R]} says the {@code reset} file exists;</li>
 * <li>{@link Kind#PER_IOMMU} the per-IOMMU tree (EthanZHF/iommu_tools {@code list_iommu_tree.sh}):
 *     {@code IOMMU: dmar3}, {@code IOMMU Group: N}, {@code Group Device: DDDD:BB:DD.F - lspci -nn text}, where
 *     a group of k devices is printed k times (the repeats are dropped quietly);</li>
 * <li>{@link Kind#VIEWER} "iommu_viewer.sh": {@code Group:  N   DDDD:BB:DD.F lspci -nn text   Driver: pcieport}
 *     (a member without "Driver:" has no driver bound).</li>
 * </ul>
 * Groups and members come in any order. Every line is read in one pass, without regular expressions.
 */
final class GroupBlockParser {
    /** The listings read here. */
    enum Kind { HASH_BLOCKS, GIST, PER_IOMMU, VIEWER }

    private static final String GIST_RESET = "[R]";
    private static final String VIEWER_DRIVER = "   Driver: ";

    private GroupBlockParser() {
    }

    /** Which of the listings the text holds. */
    static Set<Kind> present(ListingText text) {
        Set<Kind> out = new HashSet<>();
        for (String line : text.lines) {
            String t = line.strip();
            if (hashHeader(t) != null) {
                out.add(Kind.HASH_BLOCKS);
            } else if (gistHeader(t) != null) {
                out.add(Kind.GIST);
            } else if (t.startsWith("Group Device: ") || t.startsWith("IOMMU Group: ")
                    && LineScanner.groupNumber(t.substring(13)) != null) {
                out.add(Kind.PER_IOMMU);
            } else if (viewerLine(t) != null) {
                out.add(Kind.VIEWER);
            }
        }
        return out;
    }

    /** {@code [junk] ### Group N ###}: N, or null. */
    private static Integer hashHeader(String t) {
        int at = t.indexOf("### Group ");
        if (at < 0 || !t.endsWith("###")) {
            return null;
        }
        LineScanner s = new LineScanner(t.substring(at + 10));
        long n = s.decimal();
        s.skipSpaces();
        return n >= 0 && n <= Limits.GROUP_NUMBER && s.rest().equals("###") ? (int) n : null;
    }

    /** {@code Group N:} then a blank and {@code [vvvv:dddd]}: N and where the member starts, or null. */
    private static int[] gistHeader(String t) {
        if (!t.startsWith("Group ")) {
            return null;
        }
        LineScanner s = new LineScanner(t);
        s.moveTo(6);
        long n = s.decimal();
        if (n < 0 || n > Limits.GROUP_NUMBER || !s.skip(':') || s.skipSpaces() == 0 || !gistMember(s.rest())) {
            return null;
        }
        return new int[] {(int) n, s.pos()};
    }

    /** {@code [vvvv:dddd]} then a blank: a gist member line (stripped). */
    private static boolean gistMember(String t) {
        return t.length() > 12 && t.charAt(0) == '[' && LineScanner.hexThen(t, 1, 4, ':')
                && LineScanner.hexThen(t, 6, 4, ']') && Character.isWhitespace(t.charAt(11));
    }

    /** {@code Group:  N   rest}: N and the rest, or null. */
    private static Object[] viewerLine(String t) {
        if (!t.startsWith("Group:")) {
            return null;
        }
        LineScanner s = new LineScanner(t);
        s.moveTo(6);
        s.skipSpaces();
        long n = s.decimal();
        if (n < 0 || n > Limits.GROUP_NUMBER || s.skipSpaces() == 0 || s.atEnd()) {
            return null;
        }
        return new Object[] {(int) n, s.rest()};
    }

    static void parse(ListingText text, TopologyAssembler asm, Set<Kind> kinds) throws ImportException {
        boolean viewerDrivers = kinds.contains(Kind.VIEWER)
                && text.lines.stream().anyMatch(l -> viewerLine(l.strip()) != null && l.contains(VIEWER_DRIVER));
        List<DeviceDraft> viewerMembers = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int repeats = 0;
        Integer group = null;
        Kind block = null;
        for (int i = 0; i < text.size(); i++) {
            String line = text.line(i);
            String t = line.strip();
            String where = text.where(i);
            Integer hash = hashHeader(t);
            int[] gist = hash == null ? gistHeader(t) : null;
            Object[] viewer = hash == null && gist == null ? viewerLine(t) : null;
            if (hash != null) {
                group = hash;
                block = Kind.HASH_BLOCKS;
            } else if (gist != null) {
                group = gist[0];
                block = Kind.GIST;
                gistDevice(t.substring(gist[1]), group, where, asm);
            } else if (block == Kind.GIST && gistMember(t)) {
                gistDevice(t, group, where, asm);
            } else if (block == Kind.GIST && t.startsWith("USB:")) {
                // a USB device below the controller above: not a group member
            } else if (t.startsWith("IOMMU: ") && !t.substring(7).isBlank() && kinds.contains(Kind.PER_IOMMU)) {
                asm.facts().iommuUnit(t.substring(7).strip());
                group = null;
                block = null;
            } else if (t.startsWith("IOMMU Group: ") && LineScanner.groupNumber(t.substring(13)) != null) {
                group = LineScanner.groupNumber(t.substring(13));
                block = Kind.PER_IOMMU;
            } else if (t.startsWith("Group Device: ") && block == Kind.PER_IOMMU) {
                if (!seen.add(group + " " + t)) {
                    repeats++;
                } else if (!perIommuDevice(t.substring(14), group, where, asm)) {
                    continue; // not recognised
                }
            } else if (t.equals("No devices found for this IOMMU instance.")) {
                // an IOMMU unit without devices
            } else if (viewer != null && kinds.contains(Kind.VIEWER)) {
                DeviceDraft d = viewerDevice((String) viewer[1], (Integer) viewer[0], where, asm, viewerDrivers);
                if (d == null) {
                    continue;
                }
                viewerMembers.add(d);
            } else if (block == Kind.HASH_BLOCKS && !t.isEmpty() && hashDevice(t, group, where, asm)) {
                // a member
            } else {
                if (!t.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                    block = null;
                }
                continue;
            }
            text.consumed.set(i);
        }
        for (DeviceDraft d : viewerMembers) {
            if (viewerDrivers && !d.driverStated) {
                asm.stateDriver(d, null, d.where);
            }
        }
        if (repeats > 0) {
            asm.note(text.source, repeats + " repeated \"Group Device:\" line(s) (the per-IOMMU listing prints each"
                    + " member once per member of its group); read once");
        }
    }

    /** {@code BB:DD.F PCI bridge: Intel ...}, perhaps after an author's column: true when it is a member. */
    private static boolean hashDevice(String t, Integer group, String where, TopologyAssembler asm)
            throws ImportException {
        LspciDescription d = LspciDescription.parse(t);
        if (d == null) {
            int blank = indexOfBlank(t);
            d = blank > 0 && blank <= 8 ? LspciDescription.parse(t.substring(blank).strip()) : null;
        }
        if (d == null) {
            return false;
        }
        add(d, group, where, asm);
        return true;
    }

    /** {@code [vvvv:dddd] [R] BB:DD.F  Class name   Device name} (the vendor's name is not printed). */
    private static void gistDevice(String t, Integer group, String where, TopologyAssembler asm)
            throws ImportException {
        String ids = t.substring(1, 10);
        String rest = t.substring(11).strip();
        boolean reset = rest.startsWith(GIST_RESET);
        rest = reset ? rest.substring(GIST_RESET.length()).strip() : rest;
        int blank = indexOfBlank(rest);
        if (blank < 0) {
            asm.note(where, "a gist line without a PCI address; skipped");
            return;
        }
        String address = rest.substring(0, blank);
        String described = rest.substring(blank).strip();
        int cls = PciClassNames.nameAt(described, 0);
        if (cls == 0 && described.startsWith("Class ") && described.length() >= 10) {
            cls = 10;
        }
        String line = cls > 0 ? address + " " + described.substring(0, cls) + ": "
                + described.substring(cls).strip() + " [" + ids + "]" : address + " " + described + " [" + ids + "]";
        LspciDescription d = LspciDescription.parse(line);
        if (d == null) {
            asm.note(where, "a gist line with a malformed PCI address (" + ListingText.abbreviate(address) + "); skipped");
            return;
        }
        DeviceDraft draft = add(d, group, where, asm);
        asm.facts().resettable(draft.id(), reset);
    }

    /** {@code DEV - lspci -nn text without the address}: true when it is a member. */
    private static boolean perIommuDevice(String t, Integer group, String where, TopologyAssembler asm)
            throws ImportException {
        int dash = t.indexOf(" - ");
        String dev = (dash < 0 ? t : t.substring(0, dash)).strip();
        String described = dash < 0 ? "" : t.substring(dash + 3).strip();
        Bdf bdf = Bdf.parseOrNull(dev);
        if (bdf == null) {
            if (!OtherDevices.plausibleName(dev)) {
                return false;
            }
            DeviceDraft d = asm.other(dev, BusType.PLATFORM, where);
            d.group = asm.merge(d, d.group, group, "IOMMU group", where);
            return true;
        }
        LspciDescription d = described.startsWith(dev) ? LspciDescription.parse(described)
                : LspciDescription.parse(dev + " " + described);
        if (d == null || !d.bdf().equals(bdf)) {
            DeviceDraft draft = asm.device(bdf, where);
            draft.group = asm.merge(draft, draft.group, group, "IOMMU group", where);
            return true;
        }
        add(d, group, where, asm);
        return true;
    }

    /** {@code DDDD:BB:DD.F lspci -nn text   Driver: name}, or without the driver. */
    private static DeviceDraft viewerDevice(String rest, int group, String where, TopologyAssembler asm,
                                            boolean drivers) throws ImportException {
        int at = rest.indexOf(VIEWER_DRIVER);
        String described = at < 0 ? rest : rest.substring(0, at);
        LspciDescription d = LspciDescription.parse(described.strip());
        if (d == null) {
            return null;
        }
        DeviceDraft draft = add(d, group, where, asm);
        if (at >= 0 && drivers) {
            String driver = rest.substring(at + VIEWER_DRIVER.length()).strip();
            asm.stateDriver(draft, driver.isEmpty() || indexOfBlank(driver) >= 0 ? null : driver, where);
        }
        return draft;
    }

    static DeviceDraft add(LspciDescription d, Integer group, String where, TopologyAssembler asm)
            throws ImportException {
        DeviceDraft draft = asm.device(d.bdf(), where);
        if (group != null) {
            draft.group = asm.merge(draft, draft.group, group, "IOMMU group", where);
        }
        draft.vendor = asm.merge(draft, draft.vendor, d.vendor(), "vendor", where);
        draft.device = asm.merge(draft, draft.device, d.device(), "device", where);
        draft.pciClass = asm.mergeClass(draft, d.pciClass(), where);
        draft.label = draft.label != null ? draft.label : d.name();
        return draft;
    }

    private static int indexOfBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
