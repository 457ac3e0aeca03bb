package dev.iommufx.io.imports;

/**
 * Imports the tree {@code lspci -tv} or {@code -tvnn} draws: the parents, and with {@code -nn} the IDs, but no
 * groups and no PCIe capabilities, so the engine derives the groups as if every function were conventional
 * PCI ({@code LspciTreeParser}). Paste it together with a group listing or {@code lspci -nnvmm} and use
 * {@link ListingImporter} to get both.
 * Lines of other formats are reported as not recognised; {@link ListingImporter#importText(String)} reads
 * several formats pasted together.
 */
public final class LspciTreeImporter {
    private LspciTreeImporter() {
    }

    /** Imports pasted text; notes name it "pasted text". */
    public static ImportResult importText(String text) throws ImportException {
        return importText(text, "pasted text");
    }

    /** @param source how notes name the text: a file name, or "pasted text" */
    public static ImportResult importText(String text, String source) throws ImportException {
        return ListingImporter.importAs(text, source, ListingImporter.Format.LSPCI_TREE);
    }
}
