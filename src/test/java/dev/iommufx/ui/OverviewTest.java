package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.GroupState;
import dev.iommufx.layout.MachineLayout;
import dev.iommufx.render.Palette;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import dev.iommufx.ui.viewmodel.Selection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * A real 2-socket Sapphire Rapids server (483 functions, 462 groups) opens in the overview: one canvas, every
 * group a tile in its state's colour, no device graph built until asked for; a click selects a group, zooming in
 * turns the tiles into cards, a change of state recolours its tile, and a double-click shows the group in the graph.
 */
@ExtendWith(ApplicationExtension.class)
class OverviewTest {
    private static final Path SERVER =
            Path.of("src/test/resources/imports/listings/per-iommu-tree-ethanzhf-sapphire-rapids.txt");
    private MachineViewModel machine;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        machine = new MachineViewModel();
        window = TestWindows.show(stage, machine, Files.createTempDirectory("overview-autosave"));
    }

    private void openServer(FxRobot robot) throws Exception {
        robot.interact(() -> assertThat(window.open(SERVER)).isTrue());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> machine.overview().layoutsProperty().get() != null);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private MachineLayout.Tile tileOfDevice(String device) {
        return window.overview.tileOf(machine.items().device(device).groupId());
    }

    /** The middle of the tile's lower half (below its title), in the overview's coordinates. */
    private Point2D middle(MachineLayout.Tile t) {
        return window.overview.toView(t.rect().x() + t.rect().w() / 2, t.rect().y() + t.rect().h() * 0.8);
    }

    /** The colour drawn at the tile's left edge, just inside its border (no text there). */
    private Color colourAt(FxRobot robot, MachineLayout.Tile t) {
        Point2D at = window.overview.toView(t.rect().x() + 4, t.rect().y() + t.rect().h() / 2);
        WritableImage[] shot = new WritableImage[1];
        robot.interact(() -> shot[0] = window.overview.snapshot(null, null));
        return shot[0].getPixelReader().getColor((int) at.getX(), (int) at.getY());
    }

    @Test
    void aServerOpensInTheOverviewWithoutBuildingTheGraph(FxRobot robot) throws Exception {
        openServer(robot);
        assertThat(machine.overview().shownProperty().get()).isTrue();
        assertThat(window.overview.isVisible()).isTrue();
        assertThat(window.graph.isVisible()).isFalse();
        assertThat(window.graph.laidOutProperty().get()).as("no device graph for a server").isFalse();
        assertThat(window.graph.deviceNode("0000:00:00.0")).isNull();
        MachineLayout tiles = machine.overview().layoutsProperty().get().overview();
        assertThat(tiles.detail()).isEqualTo(MachineLayout.Detail.OVERVIEW);
        assertThat(window.overview.detail()).isEqualTo(MachineLayout.Detail.OVERVIEW);
        long shown = tiles.tiles().stream().mapToLong(t -> t.groups().size()).sum()
                + tiles.edges().stream().mapToLong(e -> e.groups().size()).sum();
        assertThat(shown).as("every group in a tile or a chain").isEqualTo(machine.kernel().groups().size());
    }

    @Test
    void aClickSelectsZoomMakesCardsAndAStateChangeRecoloursTheTile(FxRobot robot) throws Exception {
        openServer(robot);
        MachineLayout.Tile tile = tileOfDevice("0000:00:00.0");
        int group = tile.group();
        Palette palette = Palette.fromStylesheet();
        assertThat(colourAt(robot, tile)).isEqualTo(Color.web(palette.of(GroupState.DMA_API_OWNED).fill()));

        robot.clickOn(window.overview.localToScreen(middle(tile)));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.selectionProperty().get()).isEqualTo(Selection.group(group));

        robot.interact(() -> assertThat(machine.unbind("0000:00:00.0").ok()).isTrue());
        WaitForAsyncUtils.waitForFxEvents();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(colourAt(robot, tile)).as("recoloured without a new layout")
                .isEqualTo(Color.web(palette.of(GroupState.DEFAULT_DOMAIN).fill()));

        robot.interact(() -> {
            for (int i = 0; i < 12; i++) {
                window.overview.zoomBy(1.25);
            }
        });
        assertThat(window.overview.detail()).as("zoomed in: cards").isEqualTo(MachineLayout.Detail.CARDS);
        robot.interact(window::fitView);
        assertThat(window.overview.detail()).isEqualTo(MachineLayout.Detail.OVERVIEW);
    }

    @Test
    void aDoubleClickShowsTheGroupInTheGraphAndTheMenuSwitchesBack(FxRobot robot) throws Exception {
        openServer(robot);
        MachineLayout.Tile tile = tileOfDevice("0000:00:00.0");
        robot.doubleClickOn(window.overview.localToScreen(middle(tile)));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> window.graph.laidOutProperty().get());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.overview().shownProperty().get()).isFalse();
        assertThat(window.graph.isVisible()).isTrue();
        assertThat(window.graph.groupBox(tile.group())).isNotNull();
        robot.press(javafx.scene.input.KeyCode.CONTROL, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.O)
                .release(javafx.scene.input.KeyCode.O, javafx.scene.input.KeyCode.SHIFT, javafx.scene.input.KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.overview().shownProperty().get()).as("View → Overview (Ctrl+Shift+O)").isTrue();
    }

    @Test
    void aDesktopMachineOpensInTheGraph(FxRobot robot) {
        robot.interact(() -> window.open(Path.of("topologies/workstation.json")));
        assertThat(machine.overview().shownProperty().get()).isFalse();
        assertThat(machine.overview().layoutsProperty().get()).as("not laid out for nothing").isNull();
    }

    @Test
    void theSearchShowsTheFoundDevicesGroupInTheOverview(FxRobot robot) throws Exception {
        openServer(robot);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> machine.overview().layoutsProperty().get().cards() != null);
        robot.interact(() -> machine.search().queryProperty().set("0000:7f:1e.3"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.search().currentProperty().get().id()).isEqualTo("0000:7f:1e.3");
        assertThat(window.overview.detail()).as("close enough to read").isEqualTo(MachineLayout.Detail.CARDS);
        MachineLayout.Tile t = tileOfDevice("0000:7f:1e.3");
        Point2D topLeft = window.overview.toView(t.rect().x(), t.rect().y());
        Point2D bottomRight = window.overview.toView(t.rect().right(), t.rect().bottom());
        double cx = window.overview.getWidth() / 2;
        double cy = window.overview.getHeight() / 2;
        assertThat(cx).isBetween(topLeft.getX(), bottomRight.getX());
        assertThat(cy).isBetween(topLeft.getY(), bottomRight.getY());
    }

    @Test
    void aRightClickOpensTheGroupsMenuAtThePointer(FxRobot robot) throws Exception {
        openServer(robot);
        MachineLayout.Tile tile = tileOfDevice("0000:00:00.0");
        Point2D at = window.overview.localToScreen(middle(tile));
        robot.rightClickOn(at);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.selectionProperty().get()).isEqualTo(Selection.group(tile.group()));
        assertThat(window.contextMenu().isShowing()).isTrue();
        assertThat(window.contextMenu().getItems()).anyMatch(i -> i.getText() != null
                && i.getText().contains("group " + tile.group()));
        assertThat(window.contextMenu().getAnchorX()).isCloseTo(at.getX(), org.assertj.core.data.Offset.offset(2.0));
        assertThat(window.contextMenu().getAnchorY()).isCloseTo(at.getY(), org.assertj.core.data.Offset.offset(2.0));
        robot.interact(() -> window.contextMenu().hide());
    }
}
