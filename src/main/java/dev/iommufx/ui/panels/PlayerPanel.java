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
    private final ListView<Integer> steps = new ListView<>();
    private final Button play = new Button("▶ Play");
    /** The current step's whole narration, however long: the timeline's cells may cut it. */
    private final Label current = new Label();
    private final Slider speed = new Slider(0.25, 4, 1);
    private final Timeline timer = new Timeline();

    public PlayerPanel(PlayerViewModel player) {
        this.player = player;
        setId("player");
        title.setWrapText(true);
        title.getStyleClass().add("panel-heading");
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
        ToolBar bar = new ToolBar(button("|◀", "player-home", "boot (Home)", () -> player.playTo(0)),
                button("◀", "player-back", "step back (←)", player::back),
                play,
                button("▶▶", "player-forward", "step forward (→)", player::forward),
                button("▶|", "player-end", "the end (End)", () -> player.playTo(Integer.MAX_VALUE)),
                new Label("speed"), speed);
        current.setId("player-current");
        current.setWrapText(true);
        current.getStyleClass().add("player-current");
        javafx.scene.control.ScrollPane currentBox = new javafx.scene.control.ScrollPane(current);
        currentBox.setFitToWidth(true);
        currentBox.setMaxHeight(170);
        currentBox.setPrefViewportHeight(110);
        currentBox.setMinHeight(100);
        getChildren().addAll(title, bar, currentBox, steps);
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
    }

    public void togglePlay() {
        if (timer.getStatus() == Timeline.Status.RUNNING) {
            timer.stop();
            play.setText("▶ Play");
        } else if (player.isOpen()) {
            timer.setRate(speed.getValue());
            timer.play();
            play.setText("⏸ Pause");
        }
    }

    private void show(Scenario s) {
        timer.stop();
        play.setText("▶ Play");
        if (s == null) {
            steps.setItems(FXCollections.observableArrayList());
            title.setText(NONE_OPEN);
            current.setText("");
            return;
        }
        title.setText(s.title() + "\n" + s.description());
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

    private static Button button(String text, String id, String tip, Runnable action) {
        Button b = new Button(text);
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
