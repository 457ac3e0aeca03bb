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
 * <li>{@link Format#LS_IOMMU}: the ls-iommu tool's output ({@code GroupLineParser}).</li>
 * </ul>
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
        LS_IOMMU("ls-iommu output");

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
            throw new ImportException(source, "no IOMMU group listing, lspci -vmm record, lspci -t tree or ls-iommu"
                    + " line found: paste the output of the group listing loop, lspci -nnvmm, lspci -tvnn or ls-iommu");
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
        return found;
    }

    private static ImportResult run(ListingText lines, Set<Format> formats) throws ImportException {
        TopologyAssembler asm = new TopologyAssembler(lines.source);
        if (formats.contains(Format.GROUP_LISTING) || formats.contains(Format.LS_IOMMU)) {
            GroupLineParser.parse(lines, asm);
        }
        if (formats.contains(Format.LSPCI_VMM)) {
            LspciVmmParser.parse(lines, asm);
        }
        if (formats.contains(Format.LSPCI_TREE)) {
            LspciTreeParser.parse(lines, asm);
        } else {
            asm.note(lines.source, "no lspci -t tree: the devices have no parents (every bus is drawn as a root bus)");
        }
        lines.noteUnrecognised(asm);
        List<String> labels = new ArrayList<>();
        formats.forEach(f -> labels.add(f.label()));
        return asm.build(lines.source, "Imported from " + String.join(" + ", labels) + " (" + lines.source + ").",
                DomainType.DMA_FQ);
    }
}
