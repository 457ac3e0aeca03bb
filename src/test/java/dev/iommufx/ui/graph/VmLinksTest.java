package dev.iommufx.ui.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.GroupState;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A VM draws a line to each group it holds, following the groups it is given and gives back. */
@ExtendWith(ApplicationExtension.class)
class VmLinksTest {
    private static final String GPU = "0000:01:00.0";
    private static final String AUDIO = "0000:01:00.1";
    private MachineViewModel machine;
    private GraphView view;

    @Start
    void start(Stage stage) throws Exception {
        machine = new MachineViewModel();
        machine.load(TopologyReader.read(Path.of("topologies/workstation.json")));
        view = new GraphView(machine);
        stage.setScene(new Scene(view, 1400, 900));
        stage.show();
        view.rebuild();
    }

    /** How many groups the VM's dashed line reaches: one stroke (a move, then a curve) per group. */
    private int linesOf(FxRobot robot, String vm) {
        return robot.lookup("#vm-link-" + vm).tryQueryAs(javafx.scene.shape.Path.class)
                .map(p -> (int) p.getElements().stream().filter(e -> e instanceof javafx.scene.shape.MoveTo).count())
                .orElse(0);
    }

    @Test
    void theLineFollowsTheGroupsTheVmHolds(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> view.laidOutProperty().get());
        int group = machine.kernel().device(GPU).group().id();
        String[] vm = new String[1];
        robot.interact(() -> {
            machine.moveToDriver(GPU, "vfio-pci");
            machine.moveToDriver(AUDIO, "vfio-pci");
            vm[0] = machine.addVm();
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(linesOf(robot, vm[0])).as("an empty VM reaches no group").isZero();
        robot.interact(() -> assertThat(machine.giveGroupToVm(group, vm[0]).ok()).isTrue());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(machine.kernel().group(group).state()).isNotEqualTo(GroupState.DMA_API_OWNED);
        assertThat(linesOf(robot, vm[0])).isEqualTo(1);
        robot.interact(() -> assertThat(machine.takeGroupFromVm(group).ok()).isTrue());
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(linesOf(robot, vm[0])).as("given back: no line").isZero();
    }
}
