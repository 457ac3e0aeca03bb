package dev.iommufx.ui.panels;

import dev.iommufx.ui.viewmodel.InspectorRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;

/** The selected device, group, driver or VM, field by field, with the kernel's names for them. */
public final class InspectorPanel extends VBox {
    static final String NOTHING_SELECTED = "Select a device, group, driver or VM to see it field by field.";
    private final Label hint = new Label(NOTHING_SELECTED);
    /**
     * Not in the window's first frame: a sheet is a large control, styled the first time in 0.1–0.2 s, and a window
     * starts with nothing selected. Built in the idle time after that frame ({@link #prepare}), or at the first
     * selection if that comes sooner.
     */
    private PropertySheet sheet;

    public InspectorPanel() {
        setId("inspector");
        hint.setWrapText(true);
        hint.getStyleClass().add("inspector-hint");
        getChildren().add(hint);
    }

    /** Builds the sheet now, hidden behind the hint until there is something to show. */
    public void prepare() {
        if (sheet == null) {
            sheet = new PropertySheet();
            sheet.setMode(PropertySheet.Mode.CATEGORY);
            sheet.setModeSwitcherVisible(false);
            sheet.setSearchBoxVisible(false);
            getChildren().add(sheet);
            VBox.setVgrow(sheet, javafx.scene.layout.Priority.ALWAYS);
            showSheet(false);
        }
    }

    /**
     * Shows the rows of the selection (and of the last operation) the inspector's view-model made; none: the hint
     * says what to do.
     */
    public void show(List<InspectorRow> rows) {
        if (sheet == null && rows.isEmpty()) {
            return;
        }
        prepare();
        List<PropertySheet.Item> items = new ArrayList<>();
        for (InspectorRow r : rows) {
            items.add(item(r.category(), r.name(), r.value()));
        }
        sheet.getItems().setAll(FXCollections.observableArrayList(items));
        showSheet(!rows.isEmpty());
    }

    /** The sheet or the hint, the other out of sight and out of the layout. */
    private void showSheet(boolean shown) {
        sheet.setVisible(shown);
        sheet.setManaged(shown);
        hint.setVisible(!shown);
        hint.setManaged(!shown);
    }

    /** The value shown for a field, for tests: "owner_cnt" → "2"; null when not shown. */
    public String value(String name) {
        return sheet == null ? null : sheet.getItems().stream().filter(i -> i.getName().equals(name))
                .map(i -> String.valueOf(i.getValue())).findFirst().orElse(null);
    }

    private static PropertySheet.Item item(String category, String name, String value) {
        return new ReadOnlyItem(category, name, value);
    }

    /** A read-only text row of the sheet. */
    private record ReadOnlyItem(String category, String name, String value) implements PropertySheet.Item {
        @Override
        public Class<?> getType() {
            return String.class;
        }

        @Override
        public String getCategory() {
            return category;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return value;
        }

        @Override
        public Object getValue() {
            return value;
        }

        @Override
        public void setValue(Object v) {
            // read-only: the kernel's state changes only through operations
        }

        @Override
        public Optional<ObservableValue<? extends Object>> getObservableValue() {
            return Optional.empty();
        }

        @Override
        public boolean isEditable() {
            return false;
        }
    }
}
