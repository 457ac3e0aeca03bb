package dev.iommufx.ui.panels;

import dev.iommufx.scenario.ScenarioPlayer;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepOutcome;
import dev.iommufx.ui.vm.MachineViewModel;
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
    private final MachineViewModel vm;
    private final Label title = new Label("No scenario open. Help → Tutorials, or File → Open a scenario.");
    private final ListView<Integer> steps = new ListView<>();
    private final Button play = new Button("▶ Play");
    private final Slider speed = new Slider(0.25, 4, 1);
    private final Timeline timer = new Timeline();

    public PlayerPanel(MachineViewModel vm) {
        this.vm = vm;
        setId("player");
        title.setWrapText(true);
        title.getStyleClass().add("panel-heading");
        steps.setId("player-steps");
        steps.setCellFactory(l -> new StepCell());
        steps.setOnMouseClicked(e -> {
            Integer i = steps.getSelectionModel().getSelectedItem();
            if (i != null) {
                vm.playTo(i + 1);
            }
        });
        speed.setTooltip(new Tooltip("steps per second"));
        speed.setPrefWidth(90);
        play.setId("player-play");
        play.setOnAction(e -> togglePlay());
        ToolBar bar = new ToolBar(button("|◀", "player-home", "boot (Home)", () -> vm.playTo(0)),
                button("◀", "player-back", "step back (←)", this::back),
                play,
                button("▶▶", "player-forward", "step forward (→)", this::forward),
                button("▶|", "player-end", "the end (End)", () -> vm.playTo(Integer.MAX_VALUE)),
                new Label("speed"), speed);
        getChildren().addAll(title, bar, steps);
        VBox.setVgrow(steps, Priority.ALWAYS);
        timer.setCycleCount(Timeline.INDEFINITE);
        speed.valueProperty().addListener((o, was, now) -> timer.setRate(now.doubleValue()));
        timer.getKeyFrames().add(new KeyFrame(Duration.seconds(1), e -> {
            if (!forward()) {
                togglePlay();
            }
        }));
        vm.playerProperty().addListener((o, was, now) -> show(now));
        vm.playerStepProperty().addListener((o, was, now) -> refresh());
    }

    public void back() {
        ScenarioPlayer p = vm.playerProperty().get();
        if (p != null) {
            vm.playTo(p.position() - 1);
        }
    }

    /** One step forward; false at the end (or with no scenario). */
    public boolean forward() {
        ScenarioPlayer p = vm.playerProperty().get();
        if (p == null || p.position() == p.size()) {
            return false;
        }
        vm.playTo(p.position() + 1);
        return true;
    }

    public void togglePlay() {
        if (timer.getStatus() == Timeline.Status.RUNNING) {
            timer.stop();
            play.setText("▶ Play");
        } else if (vm.playerProperty().get() != null) {
            timer.setRate(speed.getValue());
            timer.play();
            play.setText("⏸ Pause");
        }
    }

    private void show(ScenarioPlayer p) {
        timer.stop();
        play.setText("▶ Play");
        if (p == null) {
            steps.setItems(FXCollections.observableArrayList());
            title.setText("No scenario open. Help → Tutorials, or File → Open a scenario.");
            return;
        }
        title.setText(p.scenario().title() + "\n" + p.scenario().description());
        steps.setItems(FXCollections.observableArrayList(IntStream.range(0, p.size()).boxed().toList()));
        refresh();
    }

    private void refresh() {
        ScenarioPlayer p = vm.playerProperty().get();
        if (p == null) {
            return;
        }
        steps.refresh();
        if (p.position() > 0) {
            steps.scrollTo(Math.max(0, p.position() - 3));
        }
    }

    /** The text of step i as the timeline shows it (for tests and screen readers). */
    public String stepText(int i) {
        ScenarioPlayer p = vm.playerProperty().get();
        return p == null ? "" : StepCell.text(p, i);
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
            ScenarioPlayer p = vm.playerProperty().get();
            if (empty || i == null || p == null) {
                setText(null);
                return;
            }
            setText(text(p, i));
            setWrapText(true);
            setPrefWidth(0);
            StepOutcome o = p.outcome(i);
            pseudoClassStateChanged(PseudoClass.getPseudoClass("current"), i == p.position() - 1);
            pseudoClassStateChanged(PseudoClass.getPseudoClass("failed"),
                    o != null && o.verdict() == StepOutcome.Verdict.FAILED);
            pseudoClassStateChanged(PseudoClass.getPseudoClass("ahead"), i >= p.position());
        }

        static String text(ScenarioPlayer p, int i) {
            Step s = p.scenario().steps().get(i);
            StepOutcome o = p.outcome(i);
            String mark = o == null ? "·" : switch (o.verdict()) {
                case MET -> "✓";
                case FAILED -> "✗";
                case NONE -> "•";
            };
            StringBuilder sb = new StringBuilder(mark + " " + (i + 1) + ". " + s.describe());
            if (o != null) {
                sb.append("  →  ").append(o.result().resultLabel());
            } else {
                var e = s.expectFor(p.kernel().profile().key());
                if (e != null && e.result() != null) {
                    sb.append("  (expects ").append(e.result()).append(')');
                }
            }
            if (s.note() != null) {
                sb.append("\n   ").append(s.note());
            }
            if (o != null) {
                o.mismatches().forEach(m -> sb.append("\n   ✗ ").append(m));
            }
            return sb.toString();
        }
    }
}
