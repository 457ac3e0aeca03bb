package dev.iommufx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code iommufx boot FILE --config DIR}: the machine after a simulated boot with the user's own files. */
class BootCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Cli cli = new Cli(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void showsWhoWonEachDeviceAndWarnsAboutTheMissingSoftdep(@TempDir Path dir) throws Exception {
        write(dir.resolve("etc/modprobe.d/vfio.conf"), "options vfio-pci ids=10de:1187,10de:0e0a\n");
        write(dir.resolve("etc/modules"), "vfio_pci\n");
        int code = cli.run(List.of("boot", "topologies/boot/haswell-gtx760.json", "--config", dir.toString()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(text + err).isEqualTo(Cli.EXPECTATION_FAILED);
        assertThat(text).contains("0000:01:00.0  GPU: GeForce GTX 760 (for the VM)", "nouveau  (coldplug in the real root; ID table)",
                "systemd-modules-load", "modprobe vfio_pci ids=10de:1187,10de:0e0a  -> ok",
                "softdep nouveau pre: vfio-pci");
    }

    @Test
    void withTheFixItBootsCleanAndExitsZero(@TempDir Path dir) throws Exception {
        write(dir.resolve("etc/modprobe.d/vfio.conf"), "options vfio-pci ids=10de:1187,10de:0e0a\n"
                + "softdep nouveau pre: vfio-pci\nsoftdep snd_hda_intel pre: vfio-pci\n");
        int code = cli.run(List.of("boot", "topologies/boot/haswell-gtx760.json", "--config", dir.toString()));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("vfio-pci  (coldplug in the real root; dynamic ID (ids=))")
                .doesNotContain("Warnings:");
    }

    @Test
    void aBrokenFileIsRefusedWithItsPlace(@TempDir Path dir) throws Exception {
        write(dir.resolve("etc/modprobe.d/vfio.conf"), "options vfio-pci ids=1\nsoftdep \u001b[31m\n");
        int code = cli.run(List.of("boot", "topologies/boot/haswell-gtx760.json", "--config", dir.toString()));
        String e = err.toString(StandardCharsets.UTF_8);
        assertThat(code).isEqualTo(Cli.INVALID);
        assertThat(e).contains("etc/modprobe.d/vfio.conf:2:").doesNotContain("\u001b").doesNotContain("Exception");
        int notADir = cli.run(List.of("boot", "topologies/boot/haswell-gtx760.json", "--config",
                dir.resolve("etc/modprobe.d/vfio.conf").toString()));
        assertThat(notADir).isEqualTo(Cli.INVALID);
    }
}
