package dev.iommufx.engine.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.iommufx.engine.Profile;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.io.boot.BootConfigReader;
import dev.iommufx.io.boot.ConfigFiles;
import dev.iommufx.model.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzz test of the boot configuration reader and the boot (docs/random-testing.md, "Fuzzing"). The input is cut
 * into the configuration files a boot reads; the promise checked: the files are read within their bounds and the
 * machine boots, or they are refused with a {@link FormatException} naming the file; any other exception is a
 * finding, and so is a device left on a driver of another bus.
 */
class BootConfigFuzzTest {
    private static final List<String> PATHS = List.of("etc/kernel/cmdline", "etc/modprobe.d/a.conf",
            "etc/modprobe.d/b.conf", "etc/initramfs-tools/modules", "etc/dracut.conf.d/x.conf",
            "etc/mkinitcpio.conf", "etc/modules", "etc/driverctl.d/pci-0000:01:00.0", "etc/default/grub");
    private static Topology machine;

    @FuzzTest(maxDuration = "10m")
    void boot(byte[] input) throws Exception {
        String text = new String(input, StandardCharsets.UTF_8);
        Map<String, String> files = new LinkedHashMap<>();
        String[] parts = text.split("\u0001", PATHS.size());
        for (int i = 0; i < parts.length; i++) {
            if (!parts[i].isEmpty()) {
                files.put(PATHS.get(i), parts[i]);
            }
        }
        try {
            BootReport r = BootSimulation.boot(machine(), Profile.DEFAULT,
                    BootConfigReader.read(ConfigFiles.inMemory(files)));
            r.kernel().devices().forEach(d -> assertThat(d.driver() == null || d.driver().bus() == d.bus())
                    .as(d.id()).isTrue());
        } catch (FormatException refused) {
            assertThat(PATHS).anyMatch(p -> refused.getMessage().startsWith(p));
            assertThat(refused.problem()).isNotBlank();
        }
    }

    private static synchronized Topology machine() throws Exception {
        if (machine == null) {
            machine = TopologyReader.read(Path.of("topologies/boot/haswell-gtx760.json"));
        }
        return machine;
    }
}
