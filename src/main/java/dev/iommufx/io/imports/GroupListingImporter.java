package dev.iommufx.io.imports;

/**
 * Imports the output of the widely shared shell loop that lists IOMMU groups (Arch wiki, "PCI passthrough via
 * OVMF"): {@code IOMMU Group 12 00:1c.0 PCI bridge [0604]: Intel Corporation ... [8086:a110] (rev f0)}, also
 * {@code IOMMU Group 12: ...}, or a header per group ({@code IOMMU Group 12:}) with the members indented below;
 * with {@code lspci -nnks} the {@code Kernel driver in use:} lines give the drivers. The listing has no tree:
 * devices get no parent, groups are the listing's ({@code GroupLineParser}).
 * Lines of other formats are reported as not recognised; {@link ListingImporter#importText(String)} reads
 * several formats pasted together.
 */
public final class GroupListingImporter {
    private GroupListingImporter() {
    }

    /** Imports pasted text; notes name it "pasted text". */
    public static ImportResult importText(String text) throws ImportException {
        return importText(text, "pasted text");
    }

    /** @param source how notes name the text: a file name, or "pasted text" */
    public static ImportResult importText(String text, String source) throws ImportException {
        return ListingImporter.importAs(text, source, ListingImporter.Format.GROUP_LISTING);
    }
}
