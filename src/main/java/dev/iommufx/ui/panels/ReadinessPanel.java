package dev.iommufx.ui.panels;

import dev.iommufx.doctor.Finding;
import dev.iommufx.ui.viewmodel.ReadinessViewModel;
import javafx.collections.FXCollections;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * Is the machine ready for passthrough (the {@code doctor} command's answers): the IOMMU, interrupt remapping,
 * default domains, the ACS override and the command line, then every finding with its severity. A finding about a
 * device selects it (click, or Enter), so that the graph and the inspector show which one it means.
 */
public final class ReadinessPanel extends VBox {
    private final ReadinessViewModel readiness;
    private final Label headline = new Label();
    private final GridPane facts = new GridPane();
    private final ListView<Finding> findings = new ListView<>();

    public ReadinessPanel(ReadinessViewModel readiness) {
        this.readiness = readiness;
        setId("readiness");
        setSpacing(6);
        setPadding(new Insets(6));
        headline.setId("readiness-headline");
        headline.getStyleClass().add("panel-heading");
        headline.setWrapText(true);
        headline.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        facts.setId("readiness-facts");
        facts.setHgap(10);
        facts.setVgap(2);
        // the names keep their width; a long command line wraps in the value column instead
        javafx.scene.layout.ColumnConstraints names = new javafx.scene.layout.ColumnConstraints();
        names.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints values = new javafx.scene.layout.ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        values.setMinWidth(0);
        facts.getColumnConstraints().setAll(names, values);
        findings.setId("readiness-findings");
        findings.setCellFactory(list -> new FindingCell());
        findings.setOnMouseClicked(e -> selectFinding());
        findings.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) {
                selectFinding();
            }
        });
        findings.setPlaceholder(new Label("No machine yet."));
        getChildren().addAll(headline, facts, findings);
        VBox.setVgrow(findings, Priority.ALWAYS);
        readiness.readinessProperty().addListener((o, was, now) -> refresh());
        refresh();
    }

    private void refresh() {
        headline.setText(readiness.headline());
        facts.getChildren().clear();
        int row = 0;
        for (String[] fact : readiness.machineRows()) {
            Label name = new Label(fact[0]);
            name.getStyleClass().add("readiness-fact-name");
            Label value = new Label(fact[1]);
            value.setWrapText(true);
            value.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
            facts.addRow(row++, name, value);
        }
        findings.setItems(FXCollections.observableArrayList(readiness.findings()));
    }

    private void selectFinding() {
        Finding f = findings.getSelectionModel().getSelectedItem();
        if (f != null) {
            readiness.select(f);
        }
    }

    /** A finding as "error  0000:01:00.0: text", whole (wrapped), coloured by its severity. */
    private static final class FindingCell extends ListCell<Finding> {
        @Override
        protected void updateItem(Finding f, boolean empty) {
            super.updateItem(f, empty);
            for (Finding.Severity s : Finding.Severity.values()) {
                pseudoClassStateChanged(PseudoClass.getPseudoClass(s.word()), !empty && f != null && f.severity() == s);
            }
            if (empty || f == null) {
                setText(null);
                return;
            }
            boolean named = f.device() == null || f.text().contains(f.device());
            setText(f.severity().word() + ":  " + (named ? "" : f.device() + ": ") + f.text());
            setWrapText(true);
            setPrefWidth(0);
        }
    }
}
