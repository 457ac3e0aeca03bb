package dev.iommufx.io.imports;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Kernel log lines as {@code dmesg}, {@code journalctl -k} and pastes of them show them: an optional syslog level
 * ({@code <6>}), a timestamp ({@code [    0.551524]}, also with a decimal comma), an optional caller id
 * ({@code [    T1]}), or journalctl's {@code Dec 04 10:00:00 host kernel: } prefix, then the message; a device's
 * messages start with its driver or bus and its name ({@code pci 0000:00:02.0: }, {@code platform ff8f0000.vop: }).
 * A web copy that lost its line ends holds many records on one line: they are split at their timestamps. Every
 * method is one pass over the line.
 */
final class KernelLog {
    /** Words of a message that make it worth keeping as a fact (compared in lower case). */
    private static final List<String> KEPT = List.of("iommu", "dmar", "amd-vi", "remapping", "vfio", "smmu",
            "acs override", "boot vga", "ivrs", "intremap");

    /** A message from a device: who printed it (driver or bus), the device's name, and the text after ": ". */
    record DeviceMessage(String subsystem, String device, String text) {
    }

    private KernelLog() {
    }

    /** The messages of one pasted line, without timestamps; the line itself when it has none. */
    static List<String> records(String line) {
        String t = normalised(line);
        List<String> out = new ArrayList<>();
        int start = 0;
        int at = nextTimestamp(t, 0);
        if (at < 0) {
            String only = withoutPrefixes(t.strip());
            if (!only.isEmpty()) {
                out.add(only);
            }
            return out;
        }
        if (!t.substring(0, at).isBlank()) {
            out.add(t.substring(0, at).strip()); // a record cut at its start, or a prompt
        }
        while (at >= 0) {
            int end = t.indexOf(']', at);
            start = end + 1;
            int next = nextTimestamp(t, start);
            String message = withoutPrefixes(t.substring(start, next < 0 ? t.length() : next).strip());
            if (!message.isEmpty()) {
                out.add(message);
            }
            at = next;
        }
        return out;
    }

    /** True when the line holds a kernel log timestamp. */
    static boolean hasTimestamp(String line) {
        return nextTimestamp(normalised(line), 0) >= 0;
    }

    /**
     * True when the line is a kernel log record: dmesg's, with its timestamp, or journalctl's in its default format
     * ({@code Dec 04 10:00:01 host kernel: DMAR: IOMMU enabled}), which has none.
     */
    static boolean isLogLine(String line) {
        return hasTimestamp(line) || journalPrefixEnd(line) > 0;
    }

    /** Where the message starts after journalctl's {@code ... kernel: } (within its first 64 characters), or -1. */
    private static int journalPrefixEnd(String t) {
        int kernel = t.indexOf(" kernel: ");
        return kernel > 0 && kernel < 64 ? kernel + " kernel: ".length() : -1;
    }

    /** Full-width colons and parentheses (a CJK input method's) as the kernel writes them. */
    private static String normalised(String line) {
        return line.replace('\uFF1A', ':').replace('\uFF08', '(').replace('\uFF09', ')');
    }

    /** Where the next {@code [ seconds.micros]} starts at or after {@code from}, or -1. */
    private static int nextTimestamp(String t, int from) {
        for (int at = t.indexOf('[', from); at >= 0; at = t.indexOf('[', at + 1)) {
            if (isTimestamp(t, at)) {
                return at;
            }
        }
        return -1;
    }

    /** {@code [}, spaces, digits, {@code .} or {@code ,}, digits, {@code ]}. */
    private static boolean isTimestamp(String t, int at) {
        int i = at + 1;
        while (i < t.length() && t.charAt(i) == ' ') {
            i++;
        }
        int digits = i;
        while (i < t.length() && Character.isDigit(t.charAt(i)) && t.charAt(i) < 128) {
            i++;
        }
        if (i == digits || i >= t.length() || t.charAt(i) != '.' && t.charAt(i) != ',') {
            return false;
        }
        int fraction = ++i;
        while (i < t.length() && Character.isDigit(t.charAt(i)) && t.charAt(i) < 128) {
            i++;
        }
        return i > fraction && i < t.length() && t.charAt(i) == ']';
    }

    /** Without a caller id ({@code [    T1]}, {@code [    C0]}), a syslog level or journalctl's prefix. */
    private static String withoutPrefixes(String m) {
        String t = m;
        if (t.startsWith("<") && t.indexOf('>') > 1 && t.indexOf('>') <= 4) {
            t = t.substring(t.indexOf('>') + 1).strip();
        }
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close > 1 && close < 12 && isCallerId(t.substring(1, close).strip())) {
                t = t.substring(close + 1).strip();
            }
        }
        int journal = journalPrefixEnd(t);
        return journal > 0 ? t.substring(journal).strip() : t;
    }

    private static boolean isCallerId(String s) {
        if (s.length() < 2 || s.charAt(0) != 'T' && s.charAt(0) != 'C') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code pci 0000:00:02.0: text}: a word (letters, digits, '-', '_'), one space, a name without spaces, then
     * {@code ": "}; null when the message is not a device's.
     */
    static DeviceMessage deviceMessage(String message) {
        int space = message.indexOf(' ');
        if (space <= 0 || space > 64) {
            return null;
        }
        for (int i = 0; i < space; i++) {
            char c = message.charAt(i);
            if (!(Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_')) {
                return null;
            }
        }
        int colon = message.indexOf(": ", space + 1);
        int nextSpace = message.indexOf(' ', space + 1);
        if (colon < 0 || colon == space + 1 || nextSpace < colon) {
            return null;
        }
        return new DeviceMessage(message.substring(0, space), message.substring(space + 1, colon),
                message.substring(colon + 2).strip());
    }

    /** The number at the end of "Adding to iommu group N" (as the kernel prints it), or null. */
    static Integer addedToGroup(String text) {
        return groupAfter(text, "Adding to iommu group ");
    }

    /** The number at the end of "Removing from iommu group N", or null. */
    static Integer removedFromGroup(String text) {
        return groupAfter(text, "Removing from iommu group ");
    }

    private static Integer groupAfter(String text, String words) {
        return text.startsWith(words) ? LineScanner.groupNumber(text.substring(words.length())) : null;
    }

    /**
     * Collects what a message says about the machine as a whole: the command line, the version, and the lines
     * worth keeping (the IOMMU, interrupt remapping, VFIO, the boot VGA device). Returns true when it used it.
     */
    static boolean collectFacts(String message, FactsDraft facts) {
        if (message.startsWith("Command line: ") || message.startsWith("Kernel command line: ")) {
            facts.cmdline(message.substring(message.indexOf(": ") + 2));
            return true;
        }
        if (message.startsWith("Linux version ")) {
            facts.kernel(message);
            return true;
        }
        DeviceMessage dm = deviceMessage(message);
        if (dm != null && (addedToGroup(dm.text()) != null || removedFromGroup(dm.text()) != null)) {
            return false; // the group listing itself, read as such
        }
        String lower = message.toLowerCase(Locale.ROOT);
        for (String word : KEPT) {
            if (lower.contains(word)) {
                facts.logLine(message);
                return true;
            }
        }
        return false;
    }

    /** The device a "vgaarb: setting as boot VGA device" message names, or null. */
    static String bootVgaDevice(String message) {
        DeviceMessage dm = deviceMessage(message);
        return dm != null && dm.text().startsWith("vgaarb: setting as boot VGA device") ? dm.device() : null;
    }
}
