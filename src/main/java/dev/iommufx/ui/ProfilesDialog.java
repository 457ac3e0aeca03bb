package dev.iommufx.ui;

import dev.iommufx.engine.Profile;
import dev.iommufx.engine.ProfileRule;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.scene.Scene;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.stage.Modality;
import javafx.stage.Stage;

/**
 * "Compare kernel profiles": every rule in which the profiles differ, which profiles follow it, and the kernel
 * code and kernel-model sections behind it; the selected rule's effect is shown below. It does not block the main
 * window, and the column of the profile the machine follows says so as the profile changes.
 */
final class ProfilesDialog {
    static final String FOLLOWS = "✓";
    static final String DOES_NOT = "—";
    private final MainWindow w;
    private Stage stage;

    ProfilesDialog(MainWindow window) {
        this.w = window;
    }

    /** Opens the window, or brings it to the front if it is open already. */
    void show() {
        if (stage == null) {
            stage = build();
        }
        stage.show();
        stage.toFront();
    }

    private Stage build() {
        TableView<ProfileRule> table = new TableView<>(FXCollections.observableArrayList(ProfileRule.values()));
        table.setId("profiles-table");
        table.getColumns().add(textColumn("Rule", 260, ProfileRule::title));
        for (Profile p : Profile.values()) {
            table.getColumns().add(profileColumn(p));
        }
        table.getColumns().add(textColumn("Kernel code", 380, ProfileRule::kernelCode));
        table.getColumns().add(textColumn("Kernel model", 150, ProfileRule::spec));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        TextArea effect = new TextArea("Select a rule to read what it changes.");
        effect.setId("profile-rule-effect");
        effect.setEditable(false);
        effect.setWrapText(true);
        effect.setPrefRowCount(4);
        effect.setAccessibleText("The effect of the selected rule");
        table.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> effect.setText(describe(now)));
        Label heading = new Label("The rules in which the kernel profiles differ. " + FOLLOWS
                + ": the profile follows the rule; " + DOES_NOT + ": it does not. Esc closes.");
        heading.setWrapText(true);
        VBox root = new VBox(8, heading, table, effect);
        root.setPadding(new Insets(10));
        VBox.setVgrow(table, Priority.ALWAYS);
        Scene scene = new Scene(root, 1300, 720);
        scene.getStylesheets().setAll(w.getScene().getStylesheets());
        Stage s = new Stage();
        s.initOwner(w.stage());
        s.initModality(Modality.NONE);
        s.setTitle("Compare kernel profiles");
        s.setScene(scene);
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                s.close();
                e.consume();
            }
        });
        return s;
    }

    /** The selected rule in full: its title, what it changes, and which profiles follow it. */
    static String describe(ProfileRule r) {
        if (r == null) {
            return "";
        }
        String followers = Arrays.stream(Profile.values()).filter(r::appliesTo).map(Profile::key)
                .collect(Collectors.joining(", "));
        return r.title() + "\n" + r.effect() + "\nFollowed by: " + followers + ".";
    }

    private static TableColumn<ProfileRule, String> textColumn(String title, double width,
                                                               Function<ProfileRule, String> value) {
        TableColumn<ProfileRule, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(value.apply(f.getValue())));
        c.setCellFactory(col -> new WrappingCell());
        c.setPrefWidth(width);
        return c;
    }

    /** ✓ or — under the profile's key; the header of the profile the machine follows reads "(current)". */
    private TableColumn<ProfileRule, String> profileColumn(Profile p) {
        TableColumn<ProfileRule, String> c = new TableColumn<>();
        c.textProperty().bind(w.machine.profileProperty().map(now -> now == p ? p.key() + " (current)" : p.key()));
        c.setId("profile-column-" + p.key());
        c.setCellValueFactory(f -> new ReadOnlyStringWrapper(f.getValue().appliesTo(p) ? FOLLOWS : DOES_NOT));
        c.getStyleClass().add("profile-mark");
        c.setPrefWidth(150);
        c.setSortable(false);
        return c;
    }

    /** A cell whose text wraps at the column's width, so that long kernel references stay readable. */
    private static final class WrappingCell extends TableCell<ProfileRule, String> {
        private final Text text = new Text();

        WrappingCell() {
            text.wrappingWidthProperty().bind(widthProperty().subtract(10));
            text.fillProperty().bind(textFillProperty());
            setPrefHeight(Control.USE_COMPUTED_SIZE);
        }

        @Override
        protected void updateItem(String item, boolean empty) {
            super.updateItem(item, empty);
            text.setText(empty || item == null ? "" : item);
            setGraphic(empty ? null : text);
        }
    }
}
