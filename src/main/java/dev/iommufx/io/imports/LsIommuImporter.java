package dev.iommufx.io.imports;

/**
 * Imports the output of ls-iommu (github.com/HikariKnight/ls-iommu): {@code IOMMU Group  16: 0000:01:00.0 VGA
 * compatible controller [0300] NVIDIA Corporation ... [10de:2786] (rev a1)}, the group number padded to three
 * places ({@code pkg/iommu/genoutput.go}, default {@code -F pciaddr,subclass_name,subclass_id,name,device_id,
 * optional_revision}), with {@code -k} followed by {@code Subsystem:} and {@code Kernel driver in use:} lines.
 * Reordered {@code -F} fields and the un-padded {@code --legacy} output are read too ({@code GroupLineParser}).
 * Lines of other formats are reported as not recognised; {@link ListingImporter#importText(String)} reads
 * several formats pasted together.
 */
public final class LsIommuImporter {
    private LsIommuImporter() {
    }

    /** Imports pasted text; notes name it "pasted text". */
    public static ImportResult importText(String text) throws ImportException {
        return importText(text, "pasted text");
    }

    /** @param source how notes name the text: a file name, or "pasted text" */
    public static ImportResult importText(String text, String source) throws ImportException {
        return ListingImporter.importAs(text, source, ListingImporter.Format.LS_IOMMU);
    }
}
