package dev.iommufx.ui;

import dev.iommufx.engine.GroupState;
import dev.iommufx.engine.Profile;
import dev.iommufx.ui.graph.GroupBox;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** Help → Group states, Keyboard shortcuts and About: what a newcomer looks up. */
final class HelpDialogs {
    /** The keys the window answers to, as a user presses them. */
    static final List<String[]> SHORTCUTS = List.of(
            new String[] {"Ctrl+O", "Open a topology, scenario, snapshot, listing or XML"},
            new String[] {"Ctrl+V", "Import a pasted listing (IOMMU group loop, lspci, ls-iommu)"},
            new String[] {"Ctrl+F", "Find every device by address, name, vendor:device IDs or driver"},
            new String[] {"Enter / Shift+Enter", "In the search: the next / previous match; Escape clears it"},
            new String[] {"Ctrl+Z / Ctrl+Shift+Z", "Undo / redo the last operation"},
            new String[] {"Ctrl+Shift+N", "Add a VM"},
            new String[] {"Ctrl+B", "Boot the machine with a boot configuration"},
            new String[] {"Ctrl+E", "Export a picture of the machine (PNG or SVG)"},
            new String[] {"Ctrl+Shift+C", "Copy the groups as text (the usual forum listing)"},
            new String[] {"Ctrl+= / Ctrl+- / Ctrl+0", "Zoom in / out / fit the machine to the window"},
            new String[] {"→ / ←", "Next / previous step of the scenario being played"},
            new String[] {"Home / End", "The scenario's boot / its last step"},
            new String[] {"Right click", "What can be done with a device, group, driver or VM"},
            new String[] {"Drag a device onto a driver", "Unbind it and bind it there (driver_override when needed)"},
            new String[] {"Ctrl+Q", "Quit"});

    private final MainWindow w;

    HelpDialogs(MainWindow window) {
        this.w = window;
    }

    void groupStates() {
        GridPane grid = grid();
        int row = 0;
        for (GroupState s : GroupState.values()) {
            Region swatch = new Region();
            swatch.getStyleClass().addAll("legend-swatch", "group-body");
            swatch.pseudoClassStateChanged(GroupBox.pseudoClass(s), true);
            swatch.setPrefSize(44, 24);
            swatch.setMinSize(44, 24);
            Label name = new Label(s.label());
            name.setStyle("-fx-font-weight: bold");
            Label meaning = new Label(ToolBarBuilder.meaning(s));
            meaning.setWrapText(true);
            meaning.setMaxWidth(460);
            grid.addRow(row++, swatch, name, meaning);
        }
        show("Group states", "What the colours of the groups mean", grid, "help-group-states");
    }

    void shortcuts() {
        GridPane grid = grid();
        int row = 0;
        for (String[] s : SHORTCUTS) {
            Label key = new Label(s[0]);
            key.setStyle("-fx-font-weight: bold");
            grid.addRow(row++, key, new Label(s[1]));
        }
        show("Keyboard shortcuts", "Keyboard and mouse", grid, "help-shortcuts");
    }

    void about() {
        VBox box = new VBox(8);
        box.getChildren().add(new Label("iommufx " + version() + " on Java " + System.getProperty("java.version")
                + " and JavaFX " + System.getProperty("javafx.runtime.version", "?")));
        box.getChildren().add(new Label("A visualiser and simulator of Linux IOMMU groups, DMA domains and DMA "
                + "ownership. It never writes to /sys or runs a privileged command."));
        box.getChildren().add(heading("Kernel profiles"));
        for (Profile p : Profile.values()) {
            box.getChildren().add(new Label("  " + p.key() + ": " + p.title()));
        }
        box.getChildren().add(heading("What it ships"));
        for (String line : List.of(
                "The machines and scenarios under topologies/ were written for iommufx; the field lessons cite "
                        + "the public reports they are shaped after.",
                "Device names come from your system's pci.ids (the PCI ID Repository, GPL-2.0-or-later or "
                        + "BSD-3-Clause) when it is installed; iommufx does not ship it.",
                "Libraries: OpenJFX (GPL-2.0 with the Classpath Exception), ControlsFX (BSD-3-Clause), JGraphT "
                        + "(EPL-2.0 or LGPL-2.1) with jheaps (Apache-2.0), Jackson (Apache-2.0), picocli "
                        + "(Apache-2.0); the installed package carries a Java runtime (GPL-2.0 with the Classpath "
                        + "Exception).")) {
            Label l = new Label(line);
            l.setWrapText(true);
            l.setMaxWidth(620);
            box.getChildren().add(l);
        }
        show("About iommufx", "iommufx " + version(), box, "help-about");
    }

    static String version() {
        try (InputStream in = HelpDialogs.class.getResourceAsStream("/dev/iommufx/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "(unknown version)");
        } catch (IOException e) {
            return "(unknown version)";
        }
    }

    private static Label heading(String text) {
        Label l = new Label(text);
        l.setStyle("-fx-font-weight: bold");
        l.setPadding(new Insets(6, 0, 0, 0));
        return l;
    }

    private static GridPane grid() {
        GridPane grid = new GridPane();
        grid.setHgap(14);
        grid.setVgap(8);
        grid.setPadding(new Insets(6));
        return grid;
    }

    private void show(String title, String header, Node content, String id) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(w.stage());
        a.setTitle(title);
        a.setHeaderText(header);
        a.getDialogPane().setContent(content);
        a.getDialogPane().setId(id);
        a.getDialogPane().getStylesheets().addAll(w.getScene() == null ? List.of()
                : w.getScene().getStylesheets());
        a.setResizable(true);
        a.show();
    }
}
