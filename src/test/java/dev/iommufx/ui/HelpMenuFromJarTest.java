package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.io.BundledFiles;
import dev.iommufx.scenario.StepOutcome;
import dev.iommufx.support.BundleJar;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import dev.iommufx.ui.viewmodel.PlayerViewModel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Help → Tutorials and Help → Kernel history as the installed application runs them: the scenarios are read from
 * a jar, through the menu items a user chooses, and each plays to its end with every expectation met.
 */
@ExtendWith(ApplicationExtension.class)
class HelpMenuFromJarTest {
    @TempDir
    static Path dir;
    private MachineViewModel machine;
    private MainWindow window;
    private Stage stage;
    private BundledFiles bundle;

    @Start
    void start(Stage s) {
        stage = s;
        bundle = BundleJar.pack(dir);
        machine = new MachineViewModel();
        window = TestWindows.show(s, machine, dir, bundle);
    }

    /** The lessons of a Help submenu, which the window fills after its first frame. */
    private List<MenuItem> items(String menuId) {
        MenuBar bar = (MenuBar) window.lookup("#menu-bar");
        Menu help = bar.getMenus().stream().filter(m -> m.getText().equals("_Help")).findFirst().orElseThrow();
        Menu menu = (Menu) help.getItems().stream().filter(i -> menuId.equals(i.getId())).findFirst().orElseThrow();
        try {
            WaitForAsyncUtils.waitFor(10, java.util.concurrent.TimeUnit.SECONDS, () -> !menu.getItems().isEmpty());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(menuId + " was not filled after the first frame", e);
        }
        return new ArrayList<>(menu.getItems());
    }

    @Test
    void theBundleIsReadFromTheJarNotFromFiles() {
        List<Path> tutorials = bundle.list("scenarios");
        assertThat(tutorials).isNotEmpty();
        assertThat(tutorials.get(0).getFileSystem()).isNotEqualTo(FileSystems.getDefault());
    }

    @Test
    void everyTutorialAndHistoryScenarioOpensFromTheMenuAndPlaysToItsEnd(FxRobot robot) {
        List<MenuItem> all = new ArrayList<>(items("menu-tutorials"));
        all.addAll(items("menu-history"));
        List<MenuItem> field = items("menu-field");
        assertThat(field).extracting(MenuItem::getText).anyMatch(t -> t.startsWith("Field:"))
                .anyMatch(t -> t.startsWith("Boot 1:"));
        all.addAll(field);
        assertThat(all).hasSizeGreaterThanOrEqualTo(22);
        for (MenuItem item : all) {
            robot.interact(item::fire);
            WaitForAsyncUtils.waitForFxEvents();
            PlayerViewModel player = machine.player();
            assertThat(player.isOpen()).as("%s opens in the player", item.getText()).isTrue();
            assertThat(player.scenarioProperty().get().title()).isEqualTo(item.getText());
            assertThat(stage.getTitle()).isEqualTo("iommufx — " + item.getText());
            assertThat(robot.lookup("#open-error").tryQuery()).as("no error for %s", item.getText()).isEmpty();
            robot.interact(() -> player.playTo(Integer.MAX_VALUE));
            assertThat(player.positionProperty().get()).isEqualTo(player.size());
            for (int i = 0; i < player.size(); i++) {
                assertThat(player.outcome(i).verdict()).as("%s step %d", item.getText(), i + 1)
                        .isNotEqualTo(StepOutcome.Verdict.FAILED);
            }
        }
    }

    @Test
    void aBundledNameOpensTheSameScenarioAsTheMenu(FxRobot robot) {
        robot.interact(() -> window.open("bundled:scenarios/01-canonical-flow.json"));
        assertThat(machine.player().isOpen()).isTrue();
        assertThat(stage.getTitle()).isEqualTo("iommufx — " + machine.player().scenarioProperty().get().title());
        assertThat(window.recent().list()).first().isEqualTo("bundled:scenarios/01-canonical-flow.json");
    }

    @Test
    void aBundledNameThatDoesNotExistIsRefusedAndTheMachineStays(FxRobot robot) {
        robot.interact(() -> assertThat(window.open("bundled:scenarios/no-such-lesson.json")).isFalse());
        assertThat(machine.player().isOpen()).isFalse();
        assertThat(machine.kernel().topology().name()).isEqualTo(IommufxApp.defaultTopology().name());
    }
}
