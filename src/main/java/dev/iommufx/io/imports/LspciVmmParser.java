package dev.iommufx.io.imports;

import dev.iommufx.model.Bdf;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code lspci -vmm} records (pciutils' machine-readable format, lspci(8) "Machine readable output"): one
 * {@code Tag:\tvalue} per line, records separated by blank lines, starting with {@code Slot:}. With
 * {@code -nn} the names carry their IDs ({@code Class:\tPCI bridge [0604]}, {@code Vendor:\tIntel Corporation
 * [8086]}, {@code Device:\t... [a110]}); with {@code -n} the values are the bare IDs. Used here: Slot, Class,
 * ProgIf, Vendor, Device, Driver and IOMMUGroup (printed since pciutils 3.7 when the kernel has groups);
 * SVendor, SDevice, Rev, Module, NUMANode, PhySlot and unknown tags are read and ignored.
 */
final class LspciVmmParser {
    /** {@code Tag:\tvalue}: the tag (a letter, then letters and digits) and the value, stripped. */
    private record Tag(String name, String value) {
    }

    private LspciVmmParser() {
    }

    static boolean present(ListingText text) {
        return text.lines.stream().map(LspciVmmParser::tag).anyMatch(t -> t != null && t.name().equals("Slot"));
    }

    /** {@code ^\s*([A-Za-z][A-Za-z0-9]*):\s*(.*)$} in one pass; null when the line is not a tag line. */
    private static Tag tag(String line) {
        LineScanner s = new LineScanner(line);
        s.skipSpaces();
        int start = s.pos();
        char c = s.peek();
        if (s.atEnd() || !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
            return null;
        }
        s.skipAll("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
        int end = s.pos();
        if (!s.skip(':')) {
            return null;
        }
        return new Tag(line.substring(start, end), s.rest().strip());
    }

    static void parse(ListingText text, TopologyAssembler asm) throws ImportException {
        // lspci prints Driver and Module only with -k: then a record without Driver has no driver bound
        boolean withDrivers = text.lines.stream().map(LspciVmmParser::tag)
                .anyMatch(t -> t != null && (t.name().equals("Driver") || t.name().equals("Module")));
        Map<String, String> record = null;
        int start = -1;
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.line(i);
            if (line.isBlank()) {
                flush(record, start, text, asm, seen, withDrivers);
                record = null;
                continue;
            }
            Tag tag = tag(line);
            if (tag == null) {
                continue; // not consumed: reported as not recognised
            }
            if (tag.name().equals("Slot")) {
                flush(record, start, text, asm, seen, withDrivers);
                record = new LinkedHashMap<>();
                start = i;
            }
            if (record != null) {
                text.consumed.set(i);
                record.putIfAbsent(tag.name(), tag.value());
            }
        }
        flush(record, start, text, asm, seen, withDrivers);
    }

    private static void flush(Map<String, String> r, int start, ListingText text, TopologyAssembler asm,
                              Map<String, Integer> seen, boolean withDrivers) throws ImportException {
        if (r == null) {
            return;
        }
        String where = text.where(start);
        Bdf bdf = Bdf.parseOrNull(r.get("Slot"));
        if (bdf == null) {
            asm.note(where, "record without a valid Slot (truncated?); skipped");
            return;
        }
        Integer first = seen.putIfAbsent(String.valueOf(r), start);
        if (first != null) {
            asm.note(where, "duplicate of the record at line " + (first + 1) + "; skipped");
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String tag : List.of("Class", "Vendor", "Device")) {
            if (!r.containsKey(tag)) {
                missing.add(tag);
            }
        }
        if (!missing.isEmpty()) {
            asm.note(where, bdf + ": truncated record: no " + String.join(", ", missing) + "; kept what it has");
        }
        DeviceDraft d = asm.device(bdf, where);
        Integer cls = id(r.get("Class"));
        Integer vendor = id(r.get("Vendor"));
        Integer device = id(r.get("Device"));
        if (r.containsKey("Vendor") && (vendor == null || device == null)) {
            asm.note(where, bdf + ": no numeric vendor/device IDs (use lspci -nnvmm); kept without them");
        }
        if (cls != null) {
            int progIf = 0;
            String pi = r.get("ProgIf");
            if (pi != null && pi.length() == 2 && LineScanner.hexDigitsAt(pi, 0, 2) == 2) {
                progIf = Integer.parseInt(pi, 16);
            }
            cls = cls << 8 | progIf;
            if (!LspciDescription.knownBaseClass(cls)) {
                asm.note(where, bdf + String.format(": unknown class %04x; kept", cls >> 8));
            }
        } else if (r.containsKey("Class")) {
            asm.note(where, bdf + ": class \"" + r.get("Class") + "\" has no code: unknown class, kept as 000000");
        }
        d.pciClass = asm.mergeClass(d, cls, where);
        d.vendor = asm.merge(d, d.vendor, vendor, "vendor", where);
        d.device = asm.merge(d, d.device, device, "device", where);
        if (d.label == null && r.get("Device") != null) {
            String n = r.get("Device");
            if (n.length() >= 6 && n.charAt(n.length() - 6) == '[' && LineScanner.hexThen(n, n.length() - 5, 4, ']')) {
                n = n.substring(0, n.length() - 6);
            }
            n = n.strip();
            d.label = n.isEmpty() || n.length() == 4 && LineScanner.hexDigitsAt(n, 0, 4) == 4 ? null : n;
        }
        String driver = r.get("Driver");
        if (withDrivers) {
            asm.stateDriver(d, driver == null || driver.isEmpty() ? null : driver, where);
        }
        String group = r.get("IOMMUGroup");
        if (group != null) {
            Integer number = LineScanner.groupNumber(group);
            if (number == null) {
                asm.note(where, bdf + ": IOMMUGroup \"" + ListingText.abbreviate(group) + "\" is not a group number ("
                        + LineScanner.groupNumberExpected() + "); ignored");
            } else {
                d.group = asm.merge(d, d.group, number, "IOMMU group", where);
            }
        }
    }

    /** The ID of a {@code -nn} value ("Intel Corporation [8086]") or of a {@code -n} value ("8086"). */
    private static Integer id(String value) {
        if (value == null) {
            return null;
        }
        String v = value.endsWith("]") ? value.substring(0, value.length() - 1) : value;
        int at = v.length() - 4;
        if (at < 0 || LineScanner.hexDigitsAt(v, at, 4) != 4) {
            return null;
        }
        boolean whole = at == 0;
        boolean bracketed = at > 0 && v.charAt(at - 1) == '[';
        return whole || bracketed ? Integer.valueOf(Integer.parseInt(v, at, at + 4, 16)) : null;
    }
}
