package dev.iommufx.ui;

import dev.iommufx.ui.viewmodel.SearchViewModel;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyEvent;

/**
 * The tool bar's search: the field (typing finds every match and goes to the first), the count ("3 of 16") and
 * Previous / Next. In the field Enter goes to the next match, Shift+Enter to the previous one, and Escape clears the
 * search and gives the keys back to the graph. The status bar names the device gone to.
 */
final class SearchBar {
    private final MainWindow w;
    private final SearchViewModel search;

    SearchBar(MainWindow window) {
        this.w = window;
        this.search = window.machine.search();
    }

    List<Node> build() {
        TextField field = new TextField();
        field.setId("search");
        field.setPromptText("Find devices: address, name, 10de:1db4 or driver (Ctrl+F)");
        field.setPrefColumnCount(24);
        field.textProperty().bindBidirectional(search.queryProperty());
        field.addEventFilter(KeyEvent.KEY_PRESSED, this::keys);
        Label count = new Label();
        count.setId("search-count");
        count.textProperty().bind(search.countTextProperty());
        count.setMinWidth(Label.USE_PREF_SIZE);
        Button previous = button("Previous", "search-previous", "The match before (Shift+Enter in the field)");
        previous.setOnAction(e -> search.previous());
        Button next = button("Next", "search-next", "The match after (Enter in the field)");
        next.setOnAction(e -> search.next());
        search.onVisit(d -> {
            String text = search.statusText();
            if (text != null) {
                w.status.setText(text);
            }
        });
        return List.of(field, count, previous, next);
    }

    private Button button(String text, String id, String tip) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.disableProperty().bind(Bindings.isEmpty(search.matches()));
        return b;
    }

    private void keys(KeyEvent e) {
        switch (e.getCode()) {
            case ENTER -> {
                if (e.isShiftDown()) {
                    search.previous();
                } else {
                    search.next();
                }
            }
            case ESCAPE -> {
                search.clear();
                w.graph.requestFocus();
            }
            default -> {
                return;
            }
        }
        e.consume();
    }
}
