package dev.iommufx.io.imports;

import dev.iommufx.model.Bdf;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ls}, {@code ls -l} and {@code ll} over an IOMMU group's {@code devices} directory, as people paste them:
 * <ul>
 * <li>{@code ls /sys/kernel/iommu_groups/*}{@code /devices}: a {@code /sys/kernel/iommu_groups/N/devices:} header per
 *     group, then the member names in columns ({@code 'Fixed MDIO bus.0'} quoted when it has a blank);</li>
 * <li>{@code ls -l} of one group ({@code ll /sys/kernel/iommu_groups/0/devices/}, the group is in the command line), of
 *     all groups (the headers above), in a loop printing {@code Group N:} before each, or of
 *     {@code /sys/bus/pci/devices/DEV/iommu_group/devices} (the group of DEV, number not shown): symlink lines
 *     {@code lrwxrwxrwx[.] 1 root root 0 <date> DEV -> ../../../../devices/pci0000:00/0000:00:01.1/DEV[/]} whose
 *     target gives each function's parent bridge; the target may be wrapped onto the next line, the date columns and
 *     "total" are localised, and a web copy may have lost every line end.</li>
 * </ul>
 * The members' IDs, classes and drivers are not in the listing. One pass per line, no regular expressions.
 */
final class LsDevicesParser {
    private static final String GROUPS = "/sys/kernel/iommu_groups/";
    private static final String BY_DEVICE = "/sys/bus/pci/devices/";
    private static final String GROUP_OF = "/iommu_group/devices";

    /** Where the lines below belong: a numbered group, or the unnumbered group of a device. */
    private record Context(Integer group, String groupOf) {
    }

    private LsDevicesParser() {
    }

    static boolean present(ListingText text) {
        for (String line : text.lines) {
            for (String seg : segments(line)) {
                String[] link = symlink(seg.strip());
                if (header(seg.strip()) != null || link != null && (link[1].isEmpty() || link[1].contains("devices/"))) {
                    return true;
                }
            }
        }
        return false;
    }

    static void parse(ListingText text, TopologyAssembler asm) throws ImportException {
        Context ctx = null;
        boolean names = false; // inside a plain "ls" block (names in columns)
        for (int i = 0; i < text.size(); i++) {
            if (text.consumed.get(i)) {
                continue;
            }
            String line = text.line(i);
            if (line.isBlank()) {
                names = false;
                continue;
            }
            boolean used = false;
            for (String seg : segments(line)) {
                String t = seg.strip();
                Context header = header(t);
                Context command = header == null ? command(t) : null;
                String[] link = header == null && command == null ? symlink(t) : null;
                if (header != null) {
                    ctx = header;
                    names = true;
                    used = true;
                    String after = t.substring(t.indexOf("devices:") + 8).strip();
                    if (!after.isEmpty() && !isTotal(after)) {
                        columns(after, ctx, text.where(i), asm); // a copy that lost its line ends
                    }
                } else if (command != null) {
                    ctx = command.group == null && command.groupOf == null ? null : command;
                    names = false;
                    used = ctx != null;
                } else if (loopHeader(t) != null) {
                    ctx = new Context(loopHeader(t), null);
                    names = false;
                    used = true;
                } else if (link != null && ctx != null) {
                    String target = link[1];
                    if (target.isEmpty() && i + 1 < text.size() && text.line(i + 1).strip().startsWith("../")) {
                        target = text.line(i + 1).strip();
                        text.consumed.set(i + 1);
                    }
                    member(link[0], target, ctx, text.where(i), asm);
                    used = true;
                    names = false;
                } else if (ctx != null && (isTotal(t) || t.startsWith("d") && (t.endsWith(" .") || t.endsWith(" ..")))) {
                    used = true;
                } else if (ctx != null && names && columns(t, ctx, text.where(i), asm)) {
                    used = true;
                }
            }
            if (used) {
                text.consumed.set(i);
            }
        }
    }

    /** A line that lost its line ends: cut before each header and each symlink line; otherwise the line. */
    private static List<String> segments(String line) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int at = line.indexOf(' ', 1); at >= 0 && at + 1 < line.length(); at = line.indexOf(' ', at + 1)) {
            if (line.startsWith("lrwx", at + 1) || line.startsWith(GROUPS, at + 1) && isHeaderAt(line, at + 1)) {
                out.add(line.substring(start, at));
                start = at + 1;
            }
        }
        out.add(line.substring(start));
        return out;
    }

    /** The word at {@code at} (up to the next blank) ends with {@code /devices:}: looks at that word only. */
    private static boolean isHeaderAt(String line, int at) {
        int blank = line.indexOf(' ', at);
        int end = blank < 0 ? line.length() : blank;
        return line.startsWith("/devices:", end - "/devices:".length()) && end - at > GROUPS.length();
    }

    /** {@code /sys/kernel/iommu_groups/N/devices:} (ls's header for a directory), possibly followed by more. */
    private static Context header(String t) {
        if (!t.startsWith(GROUPS)) {
            return null;
        }
        int colon = t.indexOf("/devices:");
        if (colon < 0) {
            return null;
        }
        Integer n = LineScanner.groupNumber(t.substring(GROUPS.length(), colon));
        return n == null ? null : new Context(n, null);
    }

    /** A command line naming one group's devices directory; a context of nulls for one naming many. */
    private static Context command(String t) {
        int at = t.indexOf(GROUPS);
        if (at > 0 && (t.contains("ls ") || t.contains("ll ") || t.contains("ls\t"))) {
            int slash = t.indexOf('/', at + GROUPS.length());
            Integer n = slash < 0 ? null : LineScanner.groupNumber(t.substring(at + GROUPS.length(), slash));
            return new Context(n != null && t.startsWith("/devices", slash) ? n : null, null);
        }
        int by = t.indexOf(BY_DEVICE);
        if (by > 0 && (t.contains("ls ") || t.contains("ll "))) {
            int end = t.indexOf('/', by + BY_DEVICE.length());
            String dev = end < 0 ? null : t.substring(by + BY_DEVICE.length(), end);
            boolean group = end >= 0 && t.startsWith(GROUP_OF, end);
            return new Context(null, group && Bdf.parseOrNull(dev) != null ? Bdf.parse(dev).toString() : null);
        }
        return null;
    }

    /** {@code Group N:} alone on its line (the loop's header). */
    private static Integer loopHeader(String t) {
        if (!t.startsWith("Group ") || !t.endsWith(":")) {
            return null;
        }
        return LineScanner.groupNumber(t.substring(6, t.length() - 1).strip());
    }

    /** {@code total 0}, localised: a word and a number. */
    private static boolean isTotal(String t) {
        int blank = t.indexOf(' ');
        if (blank <= 0 || blank != t.lastIndexOf(' ')) {
            return false;
        }
        String n = t.substring(blank + 1);
        return !n.isEmpty() && n.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * {@code lrwxrwxrwx[.] 1 root root 0 <date> NAME -> TARGET}: NAME and TARGET (empty when wrapped onto the
     * next line), or null.
     */
    private static String[] symlink(String t) {
        if (t.length() < 11 || t.charAt(0) != 'l' || !isMode(t)) {
            return null;
        }
        int arrow = t.indexOf(" -> ");
        String before;
        String target;
        if (arrow > 0) {
            before = t.substring(0, arrow);
            target = t.substring(arrow + 4).strip();
        } else if (t.endsWith(" ->")) {
            before = t.substring(0, t.length() - 3);
            target = "";
        } else {
            return null;
        }
        String name;
        if (before.endsWith("'") && before.lastIndexOf('\'', before.length() - 2) > 0) {
            name = before.substring(before.lastIndexOf('\'', before.length() - 2) + 1, before.length() - 1);
        } else {
            name = before.substring(before.lastIndexOf(' ') + 1);
        }
        return OtherDevices.plausibleName(name) ? new String[] {name, target} : null;
    }

    private static boolean isMode(String t) {
        for (int i = 1; i < 10; i++) {
            char c = t.charAt(i);
            if ("rwxsStT-".indexOf(c) < 0) {
                return false;
            }
        }
        char after = t.charAt(10);
        return after == ' ' || after == '.' || after == '+';
    }

    /** Names in columns below a directory header: true when every word is a device name. */
    private static boolean columns(String t, Context ctx, String where, TopologyAssembler asm) throws ImportException {
        List<String> words = new ArrayList<>();
        int i = 0;
        while (i < t.length()) {
            char c = t.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '\'') {
                int close = t.indexOf('\'', i + 1);
                if (close < 0) {
                    return false;
                }
                words.add(t.substring(i + 1, close));
                i = close + 1;
            } else {
                int end = i;
                while (end < t.length() && !Character.isWhitespace(t.charAt(end))) {
                    end++;
                }
                words.add(t.substring(i, end));
                i = end;
            }
        }
        if (words.isEmpty()) {
            return false;
        }
        for (String w : words) {
            if (!OtherDevices.plausibleName(w)) {
                return false;
            }
        }
        for (String w : words) {
            member(w, "", ctx, where, asm);
        }
        return true;
    }

    /** A member, and its parent from the symlink's target. */
    private static void member(String name, String target, Context ctx, String where, TopologyAssembler asm)
            throws ImportException {
        Bdf bdf = name.indexOf(':') != name.lastIndexOf(':') ? Bdf.parseOrNull(name) : null;
        String path = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        int devices = path.indexOf("devices/");
        String[] parts = devices < 0 ? new String[0] : path.substring(devices + 8).split("/", 64);
        DeviceDraft d = bdf != null ? asm.device(bdf, where)
                : asm.other(name, OtherDevices.bus(parts.length > 1 ? parts[0] : null), where);
        if (ctx.group != null) {
            d.group = asm.merge(d, d.group, ctx.group, "IOMMU group", where);
        } else if (d.group == null) {
            d.unnumberedGroup = ctx.groupOf;
        }
        asm.facts().iommuGroups(true);
        if (bdf != null && parts.length >= 2 && d.parent == null) {
            Bdf above = Bdf.parseOrNull(parts[parts.length - 2]);
            d.parent = above == null ? null : above.toString();
        }
    }
}
