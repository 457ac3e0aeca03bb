package dev.iommufx.io.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iommufx.io.FormatException;
import dev.iommufx.io.ScenarioReader;
import dev.iommufx.model.boot.BootConfig;
import dev.iommufx.model.boot.Initramfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a machine's boot configuration files (docs/formats.md, "Boot configuration"), bounded. */
class BootConfigReaderTest {
    @TempDir
    Path dir;

    private void write(String path, String text) throws Exception {
        Path p = dir.resolve(path);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    @Test
    void readsEachFileAtItsPath() throws Exception {
        write("etc/default/grub", "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX_DEFAULT=\"quiet splash\"\n"
                + "GRUB_CMDLINE_LINUX=\"intel_iommu=on vfio-pci.ids=10de:1b80\"\n");
        write("etc/modprobe.d/vfio.conf", "# comment\noptions vfio-pci ids=10de:1b80 \\\n disable_vga=1\n"
                + "softdep nouveau pre: vfio-pci post: snd-hda-intel\nblacklist nvidiafb\n");
        write("etc/initramfs-tools/modules", "vfio\nvfio_pci ids=10de:1b80\n");
        write("etc/modules-load.d/vfio.conf", "vfio-pci\n");
        write("etc/driverctl.d/pci-0000:01:00.0", "vfio-pci\n");
        BootConfig c = BootConfigReader.read(dir);
        assertThat(c.cmdlineFrom()).isEqualTo("etc/default/grub");
        assertThat(c.cmdline().moduleOptions("vfio_pci")).containsEntry("ids", "10de:1b80");
        assertThat(c.modprobe().optionsOf("vfio_pci")).containsExactly("ids=10de:1b80", "disable_vga=1");
        assertThat(c.modprobe().softdepOf("nouveau").pre()).containsExactly("vfio_pci");
        assertThat(c.modprobe().softdepOf("nouveau").post()).containsExactly("snd_hda_intel");
        assertThat(c.modprobe().blacklist()).containsExactly("nvidiafb");
        assertThat(c.initramfs().generator()).isEqualTo(Initramfs.Generator.INITRAMFS_TOOLS);
        assertThat(c.initramfs().afterColdplug()).extracting(Initramfs.Load::module).containsExactly("vfio", "vfio_pci");
        assertThat(c.initramfs().afterColdplug().get(1).options()).containsExactly("ids=10de:1b80");
        assertThat(c.modulesLoad()).containsExactly("vfio_pci");
        assertThat(c.driverctl()).containsExactly(Map.entry("0000:01:00.0", "vfio-pci"));
    }

    @Test
    void mkinitcpioModulesLoadBeforeColdplugUnlessTheSystemdHookRacesThem() throws Exception {
        write("etc/mkinitcpio.conf", "MODULES=(vfio_pci vfio vfio_iommu_type1)\nHOOKS=(base udev autodetect kms)\n");
        Initramfs udev = BootConfigReader.read(dir).initramfs();
        assertThat(udev.beforeColdplug()).extracting(Initramfs.Load::module).startsWith("vfio_pci");
        assertThat(udev.displayDrivers()).isTrue();
        assertThat(udev.withModprobeConf()).as("no modconf hook").isFalse();
        write("etc/mkinitcpio.conf", "MODULES=(vfio_pci)\nHOOKS=(base systemd modconf)\n");
        BootConfig systemd = BootConfigReader.read(dir);
        assertThat(systemd.initramfs().beforeColdplug()).isEmpty();
        assertThat(systemd.initramfs().afterColdplug()).extracting(Initramfs.Load::module).containsExactly("vfio_pci");
        assertThat(systemd.notes()).anyMatch(n -> n.contains("systemd hook"));
    }

    @Test
    void aMistakeIsReportedAtItsFileAndLine() throws Exception {
        write("etc/modprobe.d/vfio.conf", "options vfio-pci ids=1\nsoftdep nouveau vfio-pci\n");
        assertThatThrownBy(() -> BootConfigReader.read(dir)).isInstanceOf(FormatException.class)
                .hasMessageContaining("etc/modprobe.d/vfio.conf:2:").hasMessageContaining("pre: or post:");
        write("etc/modprobe.d/vfio.conf", "optoins vfio-pci ids=1\n");
        assertThatThrownBy(() -> BootConfigReader.read(dir)).hasMessageContaining(":1:")
                .hasMessageContaining("unknown command \"optoins\"");
    }

    @Test
    void filesAreBoundedAndSpecialFilesRefused() throws Exception {
        write("etc/kernel/cmdline", "x".repeat(ConfigText.MAX_BYTES + 1));
        assertThatThrownBy(() -> BootConfigReader.read(dir)).isInstanceOf(FormatException.class)
                .hasMessageContaining("etc/kernel/cmdline");
        Files.delete(dir.resolve("etc/kernel/cmdline"));
        write("etc/modprobe.d/long.conf", "options a " + "b".repeat(ConfigText.MAX_LINE) + "\n");
        assertThatThrownBy(() -> BootConfigReader.read(dir)).hasMessageContaining("longer than");
        Files.delete(dir.resolve("etc/modprobe.d/long.conf"));
        Path fifo = dir.resolve("etc/kernel/cmdline");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(p.waitFor()).isZero();
        // a FIFO is not a regular file: it is not read (it would block), so there is no command line
        BootConfig c = BootConfigReader.read(dir);
        assertThat(c.cmdlineFrom()).isNull();
        assertThatThrownBy(() -> BootConfigReader.read(dir.resolve("etc/kernel/cmdline")))
                .hasMessageContaining("not a directory");
    }

    @Test
    void aScenarioCarriesItsBootFilesAndRefusesPathsOutsideTheMachine() throws Exception {
        String ok = "{\"format\":\"iommufx-scenario/1\",\"title\":\"t\",\"topology\":\"topologies/boot/haswell-gtx760.json\","
                + "\"boot\":{\"etc/modprobe.d/vfio.conf\":\"options vfio-pci ids=10de:1187\\n\"},\"steps\":[]}";
        var s = ScenarioReader.parse(ok, "s.json", null);
        assertThat(s.boot().modprobe().optionsOf("vfio-pci")).containsExactly("ids=10de:1187");
        assertThat(s.bootFiles()).containsOnlyKeys("etc/modprobe.d/vfio.conf");
        for (String bad : List.of("../etc/passwd", "/etc/modules", "etc//modules", "etc/mod ules")) {
            String json = ok.replace("etc/modprobe.d/vfio.conf", bad);
            assertThatThrownBy(() -> ScenarioReader.parse(json, "s.json", null)).as(bad)
                    .isInstanceOf(FormatException.class).hasMessageContaining("$.boot")
                    .hasMessageContaining("not a relative path");
        }
        String wrong = ok.replace("options vfio-pci", "optoins vfio-pci");
        assertThatThrownBy(() -> ScenarioReader.parse(wrong, "s.json", null))
                .hasMessageContaining("s.json:1:").hasMessageContaining("etc/modprobe.d/vfio.conf, line 1")
                .hasMessageContaining("unknown command");
    }
}
