package dev.iommufx.io.imports;

import java.util.ArrayList;
import java.util.List;

/**
 * Plain {@code lspci -k} (or {@code -nnk}, {@code -vk}) pasted beside a group listing: a device line at the start of
 * the line ({@code 00:02.0 VGA compatible controller [0300]: Intel ...}), then indented lines, among them
 * {@code Kernel driver in use: i915} and {@code Kernel modules: i915}. lspci prints the driver line only for a bound
 * device, so with {@code -k} a device without one has no driver. The device lines give IDs and classes; the
 * groups come from the listing beside it.
 */
final class LspciKernelParser {
    private static final String DRIVER = "Kernel driver in use:";
    private static final String MODULES = "Kernel modules:";

    private LspciKernelParser() {
    }

    /** A device line at column 0 followed, among its indented lines, by a driver or modules line. */
    static boolean present(ListingText text) {
        boolean device = false;
        for (String line : text.lines) {
            if (line.isEmpty()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                device = LspciDescription.parse(line) != null;
            } else if (device && (line.strip().startsWith(DRIVER) || line.strip().startsWith(MODULES))) {
                return true;
            }
        }
        return false;
    }

    static void parse(ListingText text, TopologyAssembler asm) throws ImportException {
        List<DeviceDraft> unbound = new ArrayList<>();
        DeviceDraft current = null;
        boolean bound = false;
        for (int i = 0; i < text.size(); i++) {
            String line = text.line(i);
            if (line.isEmpty()) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                if (current != null && !bound) {
                    unbound.add(current);
                }
                current = null;
                bound = false;
                LspciDescription d = text.consumed.get(i) ? null : LspciDescription.parse(line);
                if (d != null) {
                    current = GroupBlockParser.add(d, null, text.where(i), asm);
                    text.consumed.set(i);
                }
            } else if (current != null && !text.consumed.get(i)) {
                String t = line.strip();
                if (t.startsWith(DRIVER)) {
                    String driver = t.substring(DRIVER.length()).strip();
                    asm.stateDriver(current, driver.isEmpty() ? null : driver, text.where(i));
                    bound = true;
                }
                text.consumed.set(i); // Subsystem:, DeviceName:, Kernel modules:, and -v's lines
            }
        }
        if (current != null && !bound) {
            unbound.add(current);
        }
        for (DeviceDraft d : unbound) {
            if (!d.driverStated) {
                asm.stateDriver(d, null, d.where);
            }
        }
    }
}
