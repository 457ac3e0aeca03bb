package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.Profile;
import dev.iommufx.engine.ProfileRule;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import dev.iommufx.ui.viewmodel.PlayerViewModel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The kernel profile chosen in the tool bar, followed by the machine, the scenario player and the window. */
@ExtendWith(ApplicationExtension.class)
class ProfileSelectorTest {
    @TempDir
    static Path autosaveDir;
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        machine = new MachineViewModel();
        window = TestWindows.show(stage, machine, autosaveDir);
    }

    @SuppressWarnings("unchecked")
    private ComboBox<Profile> combo(FxRobot robot) {
        return robot.lookup("#kernel-profile").queryAs(ComboBox.class);
    }

    /** Opens the combo with the mouse and clicks the profile's entry. */
    private void choose(FxRobot robot, Profile p) {
        robot.clickOn("#kernel-profile");
        WaitForAsyncUtils.waitForFxEvents();
        Node entry = robot.lookup((Node n) -> n instanceof ListCell<?> c && c.isVisible()
                && p.key().equals(c.getText())).query();
        robot.clickOn(entry);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void choosingNewestBootsTheMachineUnderNewest(FxRobot robot) {
        Kernel before = machine.kernel();
        assertThat(combo(robot).getValue()).isEqualTo(Profile.DEFAULT);
        assertThat(robot.lookup("#profile-status").queryAs(Label.class).getText()).contains(Profile.DEFAULT.title());

        choose(robot, Profile.NEWEST);

        assertThat(machine.kernel()).isNotSameAs(before);
        assertThat(machine.kernel().profile()).isEqualTo(Profile.NEWEST);
        assertThat(machine.profile()).isEqualTo(Profile.NEWEST);
        assertThat(machine.kernel().topology()).isSameAs(before.topology());
        assertThat(robot.lookup("#profile-status").queryAs(Label.class).getText()).contains(Profile.NEWEST.title());
    }

    @Test
    void theLabelsMnemonicReachesTheCombo(FxRobot robot) {
        robot.interact(() -> window.graph().requestFocus());
        robot.press(KeyCode.ALT, KeyCode.K).release(KeyCode.K, KeyCode.ALT);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(combo(robot).isFocused()).isTrue();
        assertThat(combo(robot).getAccessibleText()).contains("Kernel profile");
    }

    @Test
    void aScenarioWrittenForV7ShowsV7AndRestartsUnderAnotherProfile(FxRobot robot) throws Exception {
        Scenario s = new Scenario("t3 under v7", "a scenario written for the v7 series", "v7-series",
                TopologyReader.read(Path.of("topologies/t3-multifunction.json")), "inline", List.of());
        robot.interact(() -> machine.play(s));

        assertThat(combo(robot).getValue()).isEqualTo(Profile.V7_SERIES);
        assertThat(machine.kernel().profile()).isEqualTo(Profile.V7_SERIES);
        assertThat(machine.player().scenarioProperty().get()).isSameAs(s);

        choose(robot, Profile.NEWEST);

        PlayerViewModel restarted = machine.player();
        assertThat(restarted.isOpen()).as("the scenario is still being played").isTrue();
        assertThat(restarted.scenarioProperty().get()).isSameAs(s);
        assertThat(restarted.positionProperty().get()).isZero();
        assertThat(machine.kernel().profile()).isEqualTo(Profile.NEWEST);
    }

    @Test
    void theComparisonListsEveryRuleAndWhichProfilesFollowIt(FxRobot robot) {
        MenuBar bar = robot.lookup("#menu-bar").queryAs(MenuBar.class);
        MenuItem compare = bar.getMenus().stream().flatMap(m -> m.getItems().stream())
                .filter(i -> "menu-profiles".equals(i.getId())).findFirst().orElseThrow();
        robot.interact(compare::fire);

        @SuppressWarnings("unchecked")
        TableView<ProfileRule> table = robot.lookup("#profiles-table").queryAs(TableView.class);
        assertThat(table.getItems()).hasSize(ProfileRule.values().length);
        for (Profile p : Profile.values()) {
            TableColumn<ProfileRule, ?> column = column(table, "profile-column-" + p.key());
            assertThat(column.getText()).isEqualTo(p == Profile.DEFAULT ? p.key() + " (current)" : p.key());
            assertThat(column.getCellObservableValue(ProfileRule.DEVICE_CLAIMS).getValue())
                    .isEqualTo(p == Profile.NEWEST ? ProfilesDialog.FOLLOWS : ProfilesDialog.DOES_NOT);
        }

        robot.interact(() -> table.getSelectionModel().select(ProfileRule.DEVICE_CLAIMS));
        assertThat(robot.lookup("#profile-rule-effect").queryAs(TextArea.class).getText())
                .contains(ProfileRule.DEVICE_CLAIMS.effect(), "Followed by: newest.");

        robot.interact(() -> machine.setProfile(Profile.V7_SERIES));
        assertThat(column(table, "profile-column-v7-series").getText()).isEqualTo("v7-series (current)");
        assertThat(column(table, "profile-column-6.1").getText()).isEqualTo("6.1");

        robot.clickOn(table).press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.getScene().getWindow().isShowing()).as("Esc closes the comparison").isFalse();
    }

    private static TableColumn<ProfileRule, ?> column(TableView<ProfileRule> table, String id) {
        return table.getColumns().stream().filter(c -> id.equals(c.getId())).findFirst().orElseThrow();
    }

    @Test
    void cancellingTheConfirmationKeepsTheMachineAndItsHistory(FxRobot robot) throws Exception {
        robot.interact(() -> machine.addVm());
        assertThat(machine.kernel().canUndo()).isTrue();
        Kernel before = machine.kernel();

        // the confirmation waits for an answer, so the choice is made without waiting for it to return
        Platform.runLater(() -> combo(robot).setValue(Profile.NEWEST));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#profile-switch").tryQuery().isPresent());
        DialogPane ask = robot.lookup("#profile-switch").queryAs(DialogPane.class);
        assertThat(ask.getContentText())
                .isEqualTo("Switching to newest restarts the machine from boot; your 1 operation is discarded.");
        robot.clickOn(ask.lookupButton(ButtonType.CANCEL));
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(combo(robot).getValue()).isEqualTo(Profile.DEFAULT);
        assertThat(machine.profile()).isEqualTo(Profile.DEFAULT);
        assertThat(machine.kernel()).isSameAs(before);
        assertThat(machine.kernel().profile()).isEqualTo(Profile.DEFAULT);
        assertThat(machine.kernel().canUndo()).isTrue();
        assertThat(machine.vms().names()).containsExactly("VM1");
    }
}
