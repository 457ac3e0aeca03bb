package dev.iommufx.io;

/**
 * Every bound the readers put on a file from a stranger, in one place (docs/formats.md, "Bounds"). Within
 * them any input is read in time linear in its size and in a heap of a few hundred MiB; past them it is
 * refused with the limit named. Each limit is far above what a real machine or a hand-written scenario
 * needs: the largest PCI machine has a few thousand functions.
 */
public final class Limits {
    /** A topology or scenario JSON file, in bytes. */
    public static final long JSON_BYTES = 16L << 20;
    /** JSON values (objects, arrays, strings, numbers...) in one file: each becomes a node in memory. */
    public static final int JSON_VALUES = 1_000_000;
    /** Nested JSON objects and arrays: the formats need 6 levels. */
    public static final int JSON_DEPTH = 32;
    /** One JSON string or key, in characters. */
    public static final int JSON_STRING = 64 << 10;
    /** The digits of one JSON number. */
    public static final int JSON_NUMBER_DIGITS = 40;

    /** Devices of a topology or an imported machine (a full PCI domain has 65,536 functions). */
    public static final int DEVICES = 100_000;
    /** Drivers of a topology. */
    public static final int DRIVERS = 10_000;
    /** Groups of a topology. */
    public static final int GROUPS = 100_000;
    /** The largest IOMMU group number: the kernel numbers groups from 0 with one number per group. */
    public static final int GROUP_NUMBER = 1_048_575;
    /**
     * Devices from a root to the deepest leaf. Every bridge below a PCI root bus takes a bus number of its own,
     * and a PCI domain has 256, so no real tree is deeper.
     */
    public static final int TREE_DEPTH = 256;
    /** Steps of one scenario (the replay keeps every step's result and call path). */
    public static final int STEPS = 100_000;

    /**
     * Kernel log lines a machine's facts keep (the lines about the IOMMU, interrupt remapping, VFIO and the boot
     * VGA device; a machine of thousands of devices logs one "Adding to iommu group" line each, which are not kept).
     */
    public static final int FACT_LOG_LINES = 2_000;
    /** Module parameters a machine's facts keep ({@code sys/module/vfio*}/parameters has about a dozen). */
    public static final int FACT_PARAMETERS = 1_000;

    /** A listing or XML file, in bytes. */
    public static final long TEXT_BYTES = 16L << 20;
    /** Lines of a listing. */
    public static final int LINES = 1_000_000;
    /** One line of a listing, in characters (lspci's longest are a few hundred). */
    public static final int LINE_LENGTH = 4096;
    /** Nested XML elements: a PCI tree of {@link #TREE_DEPTH} bridges inside hwloc's own levels. */
    public static final int XML_DEPTH = TREE_DEPTH + 44;

    /** A snapshot archive file, in bytes (compressed). */
    public static final long ARCHIVE_BYTES = 256L << 20;
    /** Bytes of tar stream read after decompression, including what is skipped. */
    public static final long ARCHIVE_EXPANDED_BYTES = 1L << 30;
    /** File contents an archive may keep in memory, all members together. */
    public static final long ARCHIVE_KEPT_BYTES = 64L << 20;
    /** One kept archive member (a sysfs {@code config} is 4096 bytes). */
    public static final int ARCHIVE_MEMBER_BYTES = 1 << 20;
    /** Members of an archive, or entries of an unpacked snapshot directory that are looked at. */
    public static final int ARCHIVE_ENTRIES = 262_144;
    /** One member's path, in bytes (Linux's PATH_MAX). */
    public static final int PATH_BYTES = 4096;
    /** A pax extended header, in bytes. */
    public static final int PAX_HEADER_BYTES = 64 << 10;

    private Limits() {
    }

    /** {@code 16 MiB}, {@code 4096 bytes}: a size as a limit is named in messages. */
    public static String bytes(long n) {
        if (n >= 1 << 20 && n % (1 << 20) == 0) {
            return (n >> 20) + " MiB";
        }
        if (n >= 1 << 10 && n % (1 << 10) == 0) {
            return (n >> 10) + " KiB";
        }
        return n + " bytes";
    }

    /** {@code 1,000,000}: a count as a limit is named in messages. */
    public static String count(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }
}
