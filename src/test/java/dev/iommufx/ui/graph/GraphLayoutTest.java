package dev.iommufx.ui.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Kernel;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.ui.viewmodel.TreeSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where the graph puts the devices: a group's box never covers a device of another group. Known exception, not
 * listed here: a group whose deeper members are centred above its own shallow members (two root ports with four
 * functions below them, field/skylake-two-gpus.json) can still reach over a leaf placed just before it.
 */
class GraphLayoutTest {
    @ParameterizedTest
    @ValueSource(strings = {"field/b450-chipset-slot.json", "field/b450-boot-disk.json", "field/renoir-apu.json", "workstation.json", "t5-switch.json", "sriov-nic.json"})
    void noGroupBoxCoversAnotherGroupsDevice(String file) throws Exception {
        Kernel k = Kernel.boot(TopologyReader.read(Path.of("topologies", file)));
        TreeSnapshot tree = TreeSnapshot.of(k);
        GraphLayout layout = GraphLayout.compute(tree);
        Map<Integer, double[]> boxes = new HashMap<>(); // group -> minX, minY, maxX, maxY
        List<int[]> placed = new ArrayList<>(); // node index, group
        for (int i = 0; i < tree.size(); i++) {
            Device d = k.device(tree.ids().get(i));
            if (d == null || d.group() == null) {
                continue;
            }
            int g = d.group().id();
            placed.add(new int[] {i, g});
            double[] b = boxes.computeIfAbsent(g, x -> new double[] {Double.MAX_VALUE, Double.MAX_VALUE,
                -Double.MAX_VALUE, -Double.MAX_VALUE});
            b[0] = Math.min(b[0], layout.x(i));
            b[1] = Math.min(b[1], layout.y(i));
            b[2] = Math.max(b[2], layout.x(i) + GraphLayout.NODE_WIDTH);
            b[3] = Math.max(b[3], layout.y(i) + GraphLayout.NODE_HEIGHT);
        }
        for (int[] p : placed) {
            double x = layout.x(p[0]) + GraphLayout.NODE_WIDTH / 2;
            double y = layout.y(p[0]) + GraphLayout.NODE_HEIGHT / 2;
            boxes.forEach((g, b) -> {
                if (g != p[1]) {
                    assertThat(x > b[0] && x < b[2] && y > b[1] && y < b[3])
                            .as("%s (group %d) inside the box of group %d", tree.ids().get(p[0]), p[1], g).isFalse();
                }
            });
        }
    }
}
