package dev.iommufx.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI address, {@code DDDD:BB:DD.F}, as the kernel names PCI devices in sysfs.
 * The domain may be wider than four hex digits (Intel VMD puts its devices in domain 10000).
 */
public record Bdf(int domain, int bus, int slot, int function) implements Comparable<Bdf> {
    private static final Pattern FORM =
            Pattern.compile("(?:([0-9a-fA-F]{4,5}):)?([0-9a-fA-F]{2}):([0-9a-fA-F]{2})\\.([0-7])");

    public Bdf {
        if (domain < 0 || domain > 0xfffff || bus < 0 || bus > 0xff || slot < 0 || slot > 0x1f
                || function < 0 || function > 7) {
            throw new IllegalArgumentException("PCI address out of range");
        }
    }

    /** Parses {@code DDDD:BB:DD.F} or the short {@code BB:DD.F} (domain 0000); null if it is not one. */
    public static Bdf parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() > 64) { // longer than any address: not worth a look
            return null;
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        int slot = Integer.parseInt(m.group(3), 16);
        if (slot > 0x1f) {
            return null;
        }
        int domain = m.group(1) == null ? 0 : Integer.parseInt(m.group(1), 16);
        return new Bdf(domain, Integer.parseInt(m.group(2), 16), slot, Integer.parseInt(m.group(4)));
    }

    /** The address of these numbers, or null when one is out of range (a slot above 1f, a bus above ff...). */
    public static Bdf ofOrNull(long domain, long bus, long slot, long function) {
        if (domain < 0 || domain > 0xfffff || bus < 0 || bus > 0xff || slot < 0 || slot > 0x1f
                || function < 0 || function > 7) {
            return null;
        }
        return new Bdf((int) domain, (int) bus, (int) slot, (int) function);
    }

    public static Bdf parse(String text) {
        Bdf bdf = parseOrNull(text);
        if (bdf == null) {
            throw new IllegalArgumentException("not a PCI address DDDD:BB:DD.F: " + text);
        }
        return bdf;
    }

    /** devfn as the kernel packs it: slot in bits 7..3, function in bits 2..0. */
    public int devfn() {
        return slot << 3 | function;
    }

    /** Key of the bus this function sits on: domain and bus number. */
    public long busKey() {
        return (long) domain << 8 | bus;
    }

    @Override
    public int compareTo(Bdf o) {
        int c = Integer.compare(domain, o.domain);
        if (c == 0) c = Integer.compare(bus, o.bus);
        if (c == 0) c = Integer.compare(devfn(), o.devfn());
        return c;
    }

    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain, bus, slot, function);
    }
}
