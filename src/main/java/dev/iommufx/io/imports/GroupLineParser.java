package dev.iommufx.io.imports;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lines that pair an IOMMU group with a device, in the shapes people paste:
 * <ul>
 * <li>the shell loop of the Arch wiki and countless forum posts, one line per device:
 *     {@code IOMMU Group 12 00:1c.0 PCI bridge [0604]: Intel Corporation ... [8086:a110] (rev f0)}, also with
 *     {@code IOMMU Group 12: } or "group" in lower case;</li>
 * <li>its variant with a header per group and the members indented below:
 *     {@code IOMMU Group 1:} then {@code \t00:01.0 PCI bridge [0604]: ...};</li>
 * <li>ls-iommu (github.com/HikariKnight/ls-iommu, {@code pkg/iommu/genoutput.go}): the group number padded to
 *     three places, the full address, no colon after the class code:
 *     {@code IOMMU Group  12: 0000:01:00.0 USB controller [0c03] Advanced Micro Devices, Inc. [AMD] ... [1022:43d0] (rev 01)};</li>
 * </ul>
 * each optionally followed, with {@code lspci -k} or {@code ls-iommu -k}, by indented {@code Subsystem:},
 * {@code Kernel driver in use: xhci_hcd} and {@code Kernel modules:} lines. The tree is not in these
 * listings, so devices get no parent; the groups are the listing's.
 */
final class GroupLineParser {
    static final Pattern GROUP = Pattern.compile("^\\s*IOMMU\\s+Group\\s+(\\d+)\\s*:?\\s*(.*)$",
            Pattern.CASE_INSENSITIVE);
    /** An ls-iommu device line: full address, class code not followed by a colon. */
    static final Pattern LS_IOMMU = Pattern.compile(
            "^\\s*IOMMU\\s+Group\\s+\\d+:\\s+[0-9a-fA-F]{4,5}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]\\s.*\\[[0-9a-fA-F]{4}\\]\\s.*");
    private static final Pattern DRIVER = Pattern.compile("^\\s*Kernel driver in use:\\s*(\\S+)\\s*$");
    private static final Pattern OTHER_DETAIL = Pattern.compile("^\\s*(Kernel modules|Subsystem):.*$");

    private GroupLineParser() {
    }

    static boolean present(ListingText text) {
        return text.lines.stream().anyMatch(l -> GROUP.matcher(l).matches());
    }

    static boolean isLsIommu(ListingText text) {
        return text.lines.stream().anyMatch(l -> LS_IOMMU.matcher(l).matches());
    }

    static void parse(ListingText text, TopologyAssembler asm) {
        Integer header = null;
        DeviceDraft last = null;
        Map<String, Integer> seenLines = new HashMap<>();
        for (int i = 0; i < text.size(); i++) {
            String line = text.line(i);
            Matcher g = GROUP.matcher(line);
            if (g.matches()) {
                text.consumed.set(i);
                int group = Integer.parseInt(g.group(1));
                String rest = g.group(2).strip();
                if (rest.isEmpty()) {
                    header = group;
                    last = null;
                    continue;
                }
                header = null;
                last = device(text, i, group, rest, asm, seenLines);
                continue;
            }
            Matcher drv = DRIVER.matcher(line);
            if (drv.matches() && last != null) {
                text.consumed.set(i);
                last.driver = asm.merge(last, last.driver, drv.group(1), "driver", text.where(i));
                continue;
            }
            if (OTHER_DETAIL.matcher(line).matches() && last != null) {
                text.consumed.set(i);
                continue;
            }
            if (header != null && LspciDescription.parse(line) != null) {
                text.consumed.set(i);
                last = device(text, i, header, line.strip(), asm, seenLines);
                continue;
            }
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                last = null; // something else: following detail lines are not this device's
            }
        }
    }

    private static DeviceDraft device(ListingText text, int i, int group, String description,
                                      TopologyAssembler asm, Map<String, Integer> seenLines) {
        String where = text.where(i);
        LspciDescription d = LspciDescription.parse(description);
        if (d == null) {
            asm.note(where, "truncated or malformed line: no PCI address after the group number; skipped");
            return null;
        }
        Integer first = seenLines.putIfAbsent(group + " " + description.replaceAll("\\s+", " "), i);
        if (first != null) {
            asm.note(where, "duplicate of line " + (first + 1) + "; skipped");
            return asm.existing(d.bdf());
        }
        DeviceDraft draft = asm.device(d.bdf(), where);
        fill(draft, d, group, where, asm);
        return draft;
    }

    /** Fills a draft from a description, noting what the line lacks. */
    static void fill(DeviceDraft draft, LspciDescription d, Integer group, String where, TopologyAssembler asm) {
        if (d.vendor() == null) {
            asm.note(where, d.bdf() + ": truncated line: no [vendor:device] IDs; kept without them");
        }
        if (d.pciClass() == null) {
            asm.note(where, d.bdf() + ": no [class] code: unknown class, kept as 000000");
        } else if (!LspciDescription.knownBaseClass(d.pciClass())) {
            asm.note(where, d.bdf() + String.format(": unknown class %04x; kept", d.pciClass() >> 8));
        }
        draft.group = asm.merge(draft, draft.group, group, "IOMMU group", where);
        draft.vendor = asm.merge(draft, draft.vendor, d.vendor(), "vendor", where);
        draft.device = asm.merge(draft, draft.device, d.device(), "device", where);
        draft.pciClass = asm.mergeClass(draft, d.pciClass(), where);
        draft.name = draft.name != null ? draft.name : d.name();
    }
}
