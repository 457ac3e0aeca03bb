package dev.iommufx.ui.panels;

import dev.iommufx.scenario.Scenario;
import dev.iommufx.ui.viewmodel.PlayerViewModel;
import java.util.stream.IntStream;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.collections.FXCollections;
import javafx.css.PseudoClass;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Slider;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * The timeline of the scenario being played: every step with its narration, result and whether its
 * expectation was met. Buttons and keys (→ ← Home End Space) step through it; clicking a step jumps there.
 */
public final class PlayerPanel extends VBox {
    private static final String NONE_OPEN = "No scenario open. Help → Tutorials, or File → Open a scenario.";
    private final PlayerViewModel player;
    private final Label title = new Label(NONE_OPEN);
    /** The scenario's description, wrapped; a history scenario's is a page, so it scrolls within a few lines. */
    private final javafx.scene.control.TextArea description = new javafx.scene.control.TextArea();
    private final ListView<Integer> steps = new ListView<>();
    private final Button play = new Button("Play", Glyphs.shape(Glyphs.PLAY));
    /** The current step's whole narration, however long: the timeline's cells may cut it. */
    private final Label current = new Label();
    private final Slider speed = new Slider(0.25, 4, 1);
    private final Timeline timer = new Timeline();

    public PlayerPanel(PlayerViewModel player) {
        this.player = player;
        setId("player");
        title.setWrapText(true);
        title.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        title.getStyleClass().add("panel-heading");
        description.setId("player-description");
        description.setWrapText(true);
        description.setEditable(false);
        description.setFocusTraversable(false);
        description.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        description.getStyleClass().add("player-description");
        steps.setId("player-steps");
        steps.setCellFactory(l -> new StepCell());
        steps.setOnMouseClicked(e -> {
            Integer i = steps.getSelectionModel().getSelectedItem();
            if (i != null) {
                player.playTo(i + 1);
            }
        });
        speed.setTooltip(new Tooltip("steps per second"));
        speed.setPrefWidth(90);
        play.setId("player-play");
        play.setOnAction(e -> togglePlay());
        ToolBar bar = new ToolBar(button(Glyphs.HOME, "player-home", "boot (Home)", () -> player.playTo(0)),
                button(Glyphs.BACK, "player-back", "step back (←)", player::back),
                play,
                button(Glyphs.FORWARD, "player-forward", "step forward (→)", player::forward),
                button(Glyphs.END, "player-end", "the end (End)", () -> player.playTo(Integer.MAX_VALUE)),
                new Label("speed"), speed);
        current.setId("player-current");
        current.setWrapText(true);
        current.getStyleClass().add("player-current");
        javafx.scene.control.ScrollPane currentBox = new javafx.scene.control.ScrollPane(current);
        currentBox.setFitToWidth(true);
        currentBox.setMaxHeight(170);
        currentBox.setPrefViewportHeight(110);
        currentBox.setMinHeight(100);
        getChildren().addAll(title, description, bar, currentBox, steps);
        VBox.setVgrow(steps, Priority.ALWAYS);
        timer.setCycleCount(Timeline.INDEFINITE);
        speed.valueProperty().addListener((o, was, now) -> timer.setRate(now.doubleValue()));
        timer.getKeyFrames().add(new KeyFrame(Duration.seconds(1), e -> {
            if (!player.forward()) {
                togglePlay();
            }
        }));
        player.scenarioProperty().addListener((o, was, now) -> show(now));
        player.positionProperty().addListener((o, was, now) -> refresh());
        show(player.scenarioProperty().get()); // a panel built while a scenario is open shows it
    }

    public void togglePlay() {
        if (timer.getStatus() == Timeline.Status.RUNNING) {
            timer.stop();
            showPlay(false);
        } else if (player.isOpen()) {
            timer.setRate(speed.getValue());
            timer.play();
            showPlay(true);
        }
    }

    private void show(Scenario s) {
        timer.stop();
        showPlay(false);
        if (s == null) {
            steps.setItems(FXCollections.observableArrayList());
            title.setText(NONE_OPEN);
            description.setText("");
            current.setText("");
            return;
        }
        title.setText(s.title());
        description.setText(s.description() == null ? "" : s.description());
        fitDescription();
        steps.setItems(FXCollections.observableArrayList(IntStream.range(0, player.size()).boxed().toList()));
        refresh();
    }

    private void refresh() {
        if (!player.isOpen()) {
            return;
        }
        steps.refresh();
        int position = player.positionProperty().get();
        if (position > 0) {
            steps.scrollTo(Math.max(0, position - 3));
            current.setText(player.stepText(position - 1));
        } else {
            steps.scrollTo(0); // Home: the boot, and the first steps in view
            steps.getSelectionModel().clearSelection();
            current.setText("At boot, before step 1. → steps forward.");
        }
    }

    /** The text of step i as the timeline shows it (for tests and screen readers). */
    public String stepText(int i) {
        return player.stepText(i);
    }

    /** As many rows as the text needs at the panel's usual width (about 60 characters a row), at most five. */
    private void fitDescription() {
        String text = description.getText();
        int rows = text == null ? 0 : (int) Math.ceil(text.length() / 60.0);
        description.setPrefRowCount(Math.max(1, Math.min(5, rows)));
    }

    /** The play button says what a press does: start playing (a triangle) or pause (two bars). */
    private void showPlay(boolean playing) {
        play.setText(playing ? "Pause" : "Play");
        play.setGraphic(Glyphs.shape(playing ? Glyphs.PAUSE : Glyphs.PLAY));
    }

    /** A button drawn as a shape, so that it shows on a machine whose fonts lack the arrow glyphs. */
    private static Button button(String shape, String id, String tip, Runnable action) {
        Button b = new Button(null, Glyphs.shape(shape));
        b.setAccessibleText(tip);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        b.setFocusTraversable(false);
        return b;
    }

    private final class StepCell extends ListCell<Integer> {
        @Override
        protected void updateItem(Integer i, boolean empty) {
            super.updateItem(i, empty);
            if (empty || i == null || !player.isOpen()) {
                setText(null);
                return;
            }
            setText(player.stepText(i));
            setWrapText(true);
            setPrefWidth(0);
            int position = player.positionProperty().get();
            pseudoClassStateChanged(PseudoClass.getPseudoClass("current"), i == position - 1);
            pseudoClassStateChanged(PseudoClass.getPseudoClass("failed"), player.failed(i));
            pseudoClassStateChanged(PseudoClass.getPseudoClass("ahead"), i >= position);
        }
    }
}
