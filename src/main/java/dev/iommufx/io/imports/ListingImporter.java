package dev.iommufx.io.imports;

import dev.iommufx.model.DomainType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Imports pasted text listings, alone or several pasted together, and merges them by PCI address:
 * <ul>
 * <li>{@link Format#GROUP_LISTING}: the widely shared shell loop over {@code /sys/kernel/iommu_groups}
 *     ({@code IOMMU Group 12 00:1c.0 PCI bridge [0604]: ...}, with or without {@code lspci -k} driver lines,
 *     one line per device or a header per group; {@code GroupLineParser});</li>
 * <li>{@link Format#LSPCI_VMM}: {@code lspci -nnvmm} records ({@code LspciVmmParser});</li>
 * <li>{@link Format#LSPCI_TREE}: {@code lspci -tv}/{@code -tvnn}, which gives the parents
 *     ({@code LspciTreeParser});</li>
 * <li>{@link Format#LS_IOMMU}: the ls-iommu tool's output ({@code GroupLineParser});</li>
 * <li>{@link Format#SYSFS_PATHS}: {@code find /sys/kernel/iommu_groups/ -type l} and {@code compgen -G} path lists,
 *     and {@code grep .} over {@code reset_method}, {@code boot_vga} or group {@code type} files
 *     ({@code SysfsPathParser});</li>
 * <li>{@link Format#LS_DEVICES}: {@code ls}, {@code ls -l}, {@code ll} over groups' {@code devices} directories
 *     ({@code LsDevicesParser});</li>
 * <li>{@link Format#HASH_BLOCKS}, {@link Format#GIST}, {@link Format#PER_IOMMU}, {@link Format#IOMMU_VIEWER}: other
 *     scripts' group blocks ({@code GroupBlockParser});</li>
 * <li>{@link Format#KERNEL_LOG}: the kernel log's {@code Adding to iommu group N} lines ({@code KernelLogParser});</li>
 * <li>{@link Format#LSPCI_KERNEL}: plain {@code lspci -nnk} pasted beside a listing, for the drivers
 *     ({@code LspciKernelParser}).</li>
 * </ul>
 * Any kernel log lines and a pasted {@code cat /proc/cmdline} also go into the machine's facts.
 * Groups and drivers come from the group listings and lspci records, parents from the tree. The parsers are
 * tolerant: other PCI domains (VMD's 10000), CRLF line ends, surrounding blanks, duplicate, truncated and
 * unrecognised lines and unknown classes become {@link ImportNote}s, never exceptions. Only text in which no
 * format is found at all is refused.
 */
public final class ListingImporter {
    /** The text formats this importer reads. */
    public enum Format {
        GROUP_LISTING("IOMMU group listing"),
        LSPCI_VMM("lspci -vmm records"),
        LSPCI_TREE("lspci -t tree"),
        LS_IOMMU("ls-iommu output"),
        SYSFS_PATHS("sysfs path list"),
        LS_DEVICES("ls of IOMMU group devices"),
        HASH_BLOCKS("### Group N ### blocks"),
        GIST("r15ch13 gist listing"),
        PER_IOMMU("per-IOMMU group tree"),
        IOMMU_VIEWER("iommu_viewer listing"),
        KERNEL_LOG("kernel log"),
        LSPCI_KERNEL("lspci -k");

        private final String label;

        Format(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private ListingImporter() {
    }

    /** Imports pasted text, detecting which formats it holds. */
    public static ImportResult importText(String text) throws ImportException {
        return importText(text, "pasted text");
    }

    /** @param source how notes name the text: a file name, or "pasted text" */
    public static ImportResult importText(String text, String source) throws ImportException {
        ListingText lines = checkNotEmpty(text, source);
        Set<Format> found = detect(lines);
        if (found.isEmpty()) {
            throw new ImportException(source, "no IOMMU group listing, lspci -vmm record, lspci -t tree, ls-iommu"
                    + " line, sysfs path, ls of a group's devices or kernel log \"Adding to iommu group\" line found:"
                    + " paste the output of the group listing loop, find /sys/kernel/iommu_groups/ -type l,"
                    + " lspci -nnvmm, lspci -tvnn or ls-iommu");
        }
        return run(lines, found);
    }

    /** The formats present in a text. */
    public static Set<Format> detect(String text) {
        try {
            return detect(new ListingText(text == null ? "" : text, ""));
        } catch (ImportException beyondLimits) {
            return EnumSet.noneOf(Format.class);
        }
    }

    /** Imports text as one format only: other lines are reported as not recognised. */
    static ImportResult importAs(String text, String source, Format format) throws ImportException {
        ListingText lines = checkNotEmpty(text, source);
        boolean present = switch (format) {
            case GROUP_LISTING, LS_IOMMU -> GroupLineParser.present(lines);
            case LSPCI_VMM -> LspciVmmParser.present(lines);
            case LSPCI_TREE -> LspciTreeParser.present(lines);
            case SYSFS_PATHS -> SysfsPathParser.present(lines);
            case LS_DEVICES -> LsDevicesParser.present(lines);
            case KERNEL_LOG -> KernelLogParser.present(lines);
            case LSPCI_KERNEL -> LspciKernelParser.present(lines);
            case HASH_BLOCKS, GIST, PER_IOMMU, IOMMU_VIEWER -> GroupBlockParser.present(lines).contains(block(format));
        };
        if (!present) {
            throw new ImportException(source, "no line of " + format.label() + " found");
        }
        return run(lines, EnumSet.of(format));
    }

    private static ListingText checkNotEmpty(String text, String source) throws ImportException {
        if (text == null || text.isBlank()) {
            throw new ImportException(source, "the text is empty: nothing to import");
        }
        return new ListingText(text, source);
    }

    private static Set<Format> detect(ListingText lines) {
        Set<Format> found = EnumSet.noneOf(Format.class);
        if (GroupLineParser.present(lines)) {
            found.add(GroupLineParser.isLsIommu(lines) ? Format.LS_IOMMU : Format.GROUP_LISTING);
        }
        if (LspciVmmParser.present(lines)) {
            found.add(Format.LSPCI_VMM);
        }
        if (LspciTreeParser.present(lines)) {
            found.add(Format.LSPCI_TREE);
        }
        if (SysfsPathParser.present(lines)) {
            found.add(Format.SYSFS_PATHS);
        }
        if (LsDevicesParser.present(lines)) {
            found.add(Format.LS_DEVICES);
        }
        for (GroupBlockParser.Kind k : GroupBlockParser.present(lines)) {
            found.add(switch (k) {
                case HASH_BLOCKS -> Format.HASH_BLOCKS;
                case GIST -> Format.GIST;
                case PER_IOMMU -> Format.PER_IOMMU;
                case VIEWER -> Format.IOMMU_VIEWER;
            });
        }
        if (KernelLogParser.present(lines)) {
            found.add(Format.KERNEL_LOG);
        }
        if (LspciKernelParser.present(lines)) {
            found.add(Format.LSPCI_KERNEL);
        }
        if (found.isEmpty() && lines.lines.stream().anyMatch(l -> KernelLog.isLogLine(l)
                || l.strip().startsWith("BOOT_IMAGE="))) {
            // a kernel log without group lines, or the command line alone: the machine's IOMMU, not its devices
            found.add(Format.KERNEL_LOG);
        }
        return found;
    }

    private static GroupBlockParser.Kind block(Format f) {
        return switch (f) {
            case GIST -> GroupBlockParser.Kind.GIST;
            case PER_IOMMU -> GroupBlockParser.Kind.PER_IOMMU;
            case IOMMU_VIEWER -> GroupBlockParser.Kind.VIEWER;
            default -> GroupBlockParser.Kind.HASH_BLOCKS;
        };
    }

    /** A pasted {@code cat /proc/cmdline}: the line that starts with {@code BOOT_IMAGE=}. */
    private static void commandLine(ListingText lines, TopologyAssembler asm) {
        for (int i = 0; i < lines.size(); i++) {
            String t = lines.line(i).strip();
            if (t.startsWith("BOOT_IMAGE=") && !lines.consumed.get(i)) {
                asm.facts().cmdline(t);
                lines.consumed.set(i);
            }
        }
    }

    private static ImportResult run(ListingText lines, Set<Format> formats) throws ImportException {
        TopologyAssembler asm = new TopologyAssembler(lines.source);
        if (formats.contains(Format.SYSFS_PATHS)) {
            SysfsPathParser.parse(lines, asm);
        }
        if (formats.contains(Format.KERNEL_LOG) || lines.lines.stream().anyMatch(KernelLog::isLogLine)) {
            KernelLogParser.parse(lines, asm);
        }
        Set<GroupBlockParser.Kind> blocks = EnumSet.noneOf(GroupBlockParser.Kind.class);
        formats.stream().filter(f -> f.ordinal() >= Format.HASH_BLOCKS.ordinal() && f.ordinal() <= Format.IOMMU_VIEWER.ordinal())
                .forEach(f -> blocks.add(block(f)));
        if (!blocks.isEmpty()) {
            GroupBlockParser.parse(lines, asm, blocks);
        }
        if (formats.contains(Format.LS_DEVICES)) {
            LsDevicesParser.parse(lines, asm);
        }
        commandLine(lines, asm);
        if (formats.contains(Format.GROUP_LISTING) || formats.contains(Format.LS_IOMMU)) {
            GroupLineParser.parse(lines, asm);
        }
        if (formats.contains(Format.LSPCI_VMM)) {
            LspciVmmParser.parse(lines, asm);
        }
        if (formats.contains(Format.LSPCI_KERNEL)) {
            LspciKernelParser.parse(lines, asm);
        }
        if (formats.contains(Format.LSPCI_TREE)) {
            LspciTreeParser.parse(lines, asm);
        } else if (!formats.contains(Format.LS_DEVICES) && !formats.contains(Format.KERNEL_LOG)) {
            asm.note(lines.source, "no lspci -t tree: the devices have no parents (every bus is drawn as a root bus)");
        }
        lines.noteUnrecognised(asm);
        List<String> labels = new ArrayList<>();
        formats.forEach(f -> labels.add(f.label()));
        return asm.build(lines.source, "Imported from " + String.join(" + ", labels) + " (" + lines.source + ").",
                DomainType.DMA_FQ);
    }
}
