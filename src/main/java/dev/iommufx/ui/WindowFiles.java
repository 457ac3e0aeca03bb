package dev.iommufx.ui;

import dev.iommufx.io.FormatException;
import dev.iommufx.io.MachineFiles;
import dev.iommufx.io.BundledFiles;
import dev.iommufx.scenario.Scenario;
import java.io.File;
import java.nio.file.Path;
import javafx.scene.control.Alert;
import javafx.stage.FileChooser;

/**
 * The window's files: File → Open and the recent files, a pasted or dropped listing, File → Save machine as. A
 * file that cannot be read is refused with where it is wrong, and the machine shown stays.
 */
final class WindowFiles {
    private final MainWindow w;

    WindowFiles(MainWindow window) {
        this.w = window;
    }

    /** Pasted text: a listing from a forum post (lspci, the group loop, ls-iommu) becomes the machine shown. */
    public boolean importText(String text) {
        try {
            dev.iommufx.io.imports.ImportResult r = dev.iommufx.io.imports.Importers.parseText(text, "pasted text");
            w.machine.load(dev.iommufx.io.PciIds.system().name(r.topology()));
            w.status.setText("Imported " + r.topology().devices().size() + " devices from the pasted text"
                    + readinessNote()
                    + (r.notes().isEmpty() ? "" : "; " + r.notes().size() + " note(s), the first: " + r.notes().get(0)));
            return true;
        } catch (dev.iommufx.io.imports.ImportException e) {
            w.status.setText("Not imported: " + e.getMessage() + " (the machine shown is unchanged)");
            return false;
        }
    }

    void chooseAndOpen() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle("Open a topology, scenario or machine listing");
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("All machine files", "*.json", "*.tar.gz", "*.tgz", "*.tar",
                        "*.txt", "*.xml"),
                new FileChooser.ExtensionFilter("iommufx JSON", "*.json"),
                new FileChooser.ExtensionFilter("Machine snapshots, listings and XML", "*.tar.gz", "*.tgz", "*.tar",
                        "*.txt", "*.xml"),
                new FileChooser.ExtensionFilter("All files", "*"));
        File f = chooser.showOpenDialog(w.stage());
        if (f != null) {
            open(f.toPath());
        }
    }

    /**
     * Opens what a name on the command line, in the recent-files list or in the Help menu names: a path on this
     * machine or a {@code bundled:} file shipped with iommufx. A bad name is refused like a bad file.
     */
    public boolean open(String name) {
        try {
            return open(BundledFiles.isBundledName(name) ? w.bundled().resolve(name) : MachineFiles.locate(name));
        } catch (FormatException e) {
            refuseToOpen(name, e);
            return false;
        }
    }

    /** Opens a topology or scenario; a bad file is refused with its location and the machine stays. */
    public boolean open(Path file) {
        Scenario s;
        java.util.List<String> notes;
        try {
            MachineFiles.Opened o = MachineFiles.open(file);
            s = o.scenario();
            notes = o.notes();
        } catch (FormatException e) {
            refuseToOpen(String.valueOf(file.getFileName()), e);
            return false;
        }
        if (s.steps().isEmpty() && s.boot() != null) {
            w.machine.loadBooted(s.topology(), s.boot());
        } else if (s.steps().isEmpty()) {
            w.machine.load(s.topology());
        } else {
            w.machine.play(s);
        }
        // → and ← step, Ctrl+Z undoes: the keys go to the drawing, not to the search box that had the focus
        (w.machine.overview().shownProperty().get() ? w.overview : w.graph).requestFocus();
        w.stage().setTitle("iommufx — " + (s.steps().isEmpty() ? s.topology().name() : s.title()));
        String bundledName = w.bundled().nameOf(file);
        w.recent().add(bundledName != null ? bundledName : file.toAbsolutePath().normalize().toString());
        w.status.setText("Opened " + (bundledName != null ? s.title() : file.getFileName())
                + (s.steps().isEmpty() ? readinessNote() : ": " + s.steps().size()
                + " steps; → and ← step through them, Space plays")
                + (notes.isEmpty() ? "" : "; " + notes.size() + " note(s), the first: " + notes.get(0)));
        return true;
    }

    /** "; readiness: 1 error (Readiness tab)" when the machine opened has problems for passthrough, else "". */
    private String readinessNote() {
        String title = w.machine.readiness().title();
        return title.equals("Readiness") ? "" : "; " + title.toLowerCase(java.util.Locale.ROOT) + " (see the Readiness tab)";
    }

    /** File → Save machine as…: atomically; a failure says why and changes nothing. */
    boolean saveMachineTo(Path file) {
        try {
            w.status.setText(w.machine.files().save(file));
            return true;
        } catch (java.io.IOException e) {
            w.status.setText("Not saved: " + e.getMessage());
            return false;
        }
    }

    private void refuseToOpen(String what, FormatException e) {
        Alert alert = new Alert(Alert.AlertType.ERROR);
        alert.initOwner(w.stage());
        alert.setTitle("Cannot open " + what);
        alert.setHeaderText("Cannot open " + what + ": nothing was changed");
        alert.setContentText(e.getMessage());
        alert.getDialogPane().setId("open-error");
        alert.show();
        w.status.setText("Not opened: " + e.getMessage());
    }
}
