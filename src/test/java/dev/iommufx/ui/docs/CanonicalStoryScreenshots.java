package dev.iommufx.ui.docs;

import dev.iommufx.ui.IommufxApp;
import dev.iommufx.ui.graph.DeviceNode;
import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Rectangle2D;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Plays the canonical story in the real application with the mouse and saves a screenshot of each state
 * to docs/screenshots. Not part of the test suite (not named *Test); run it on a real display:
 * {@code xvfb-run -a -s "-screen 0 1600x1000x24" mvn -B -Pgui test -Dtest=CanonicalStoryScreenshots}.
 */
@ExtendWith(ApplicationExtension.class)
class CanonicalStoryScreenshots {
    private static final String GPU = "#" + DeviceNode.nodeId("0000:01:00.0");
    private static final String AUDIO = "#" + DeviceNode.nodeId("0000:01:00.1");
    private Stage stage;

    @Start
    void start(Stage s) throws Exception {
        stage = s;
        System.setProperty("iommufx.startPage", "false"); // the story, not the page a first start shows
        new IommufxApp().start(s);
        s.setX(0);
        s.setY(0);
        s.setWidth(1600);
        s.setHeight(1000);
    }

    @Test
    void play(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup(GPU).tryQuery().isPresent());
        pause(robot, 1500);
        shot(robot, "1-boot");
        robot.drag(GPU).dropTo("#drv-vfio-pci");
        pause(robot, 500);
        shot(robot, "2-gpu-on-vfio-pci");
        robot.clickOn("#add-vm");
        pause(robot, 300);
        robot.drag("#group-header-8").dropTo("#vm-VM1");
        pause(robot, 900);
        shot(robot, "3-claim-refused-eperm");
        robot.drag(AUDIO).dropTo("#drv-vfio-pci");
        pause(robot, 300);
        robot.drag("#group-header-8").dropTo("#vm-VM1");
        pause(robot, 500);
        shot(robot, "4-group-blocked");
        robot.rightClickOn("#vm-VM1").clickOn("Set the IOMMU of VM1 (type1v2): start it");
        pause(robot, 500);
        shot(robot, "5-group-user-claimed");
        robot.drag(AUDIO).dropTo("#drv-snd_hda_intel");
        pause(robot, 900);
        shot(robot, "6-kernel-driver-refused-ebusy");
    }

    private static void pause(FxRobot robot, long ms) {
        robot.sleep(ms);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private void shot(FxRobot robot, String name) throws Exception {
        Image img = robot.capture(new Rectangle2D(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight()))
                .getImage();
        File out = Path.of("docs/screenshots/" + name + ".png").toFile();
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", out);
    }
}
