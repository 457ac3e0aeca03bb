package dev.iommufx.io.imports;

/**
 * Imports {@code lspci -nnvmm} records ({@code Slot:}, {@code Class:}, {@code Vendor:}, {@code Device:},
 * {@code Driver:}, {@code IOMMUGroup:} ... separated by blank lines; lspci(8), "Machine readable output").
 * The records have no tree: devices get no parent ({@code LspciVmmParser}).
 * Lines of other formats are reported as not recognised; {@link ListingImporter#importText(String)} reads
 * several formats pasted together.
 */
public final class LspciVmmImporter {
    private LspciVmmImporter() {
    }

    /** Imports pasted text; notes name it "pasted text". */
    public static ImportResult importText(String text) throws ImportException {
        return importText(text, "pasted text");
    }

    /** @param source how notes name the text: a file name, or "pasted text" */
    public static ImportResult importText(String text, String source) throws ImportException {
        return ListingImporter.importAs(text, source, ListingImporter.Format.LSPCI_VMM);
    }
}
