package dev.iommufx.ui.viewmodel;

import dev.iommufx.io.AtomicFiles;
import dev.iommufx.io.GroupListing;
import dev.iommufx.layout.MachineLayout;
import dev.iommufx.layout.MachineSnapshot;
import dev.iommufx.render.Caption;
import dev.iommufx.render.Palette;
import dev.iommufx.render.Pictures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/** The machine on screen as people share it: a picture (PNG or SVG) and the forum's group listing. */
public final class PictureViewModel {
    private final MachineViewModel machine;

    PictureViewModel(MachineViewModel machine) {
        this.machine = machine;
    }

    /** The groups as the usual forum listing: {@code IOMMU Group N:} and one lspci -nnk line per device. */
    public String groupListing() {
        return GroupListing.of(machine.kernel());
    }

    /**
     * Writes the whole machine, with the legend and the kernel profile, as the file's extension says (.svg: text,
     * sharp at any zoom; anything else: PNG, sized to be legible within a pixel cap); atomically.
     *
     * @return what was written, for the status bar
     */
    public String export(Path file) throws IOException {
        MachineLayout layout = Pictures.layout(MachineSnapshot.of(machine.kernel()));
        Caption caption = Caption.of(machine.kernel(), "as shown in the window");
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".svg")) {
            AtomicFiles.write(file, Pictures.svg(layout, caption, Palette.fromStylesheet())
                    .getBytes(StandardCharsets.UTF_8));
            return "Saved the picture as SVG: " + file;
        }
        Pictures.Png png = Pictures.png(layout, caption, Palette.fromStylesheet());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(png.image(), "png", bytes);
        AtomicFiles.write(file, bytes.toByteArray());
        return "Saved the picture as PNG (" + png.image().getWidth() + " × " + png.image().getHeight() + " px"
                + (png.capped() ? ", reduced to stay within the pixel cap: the SVG is sharp at any zoom" : "") + "): "
                + file;
    }
}
