package dev.iommufx.io.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceFacts;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way of listing groups that people paste (imports/pasted/SOURCES.md and FORMATS.md), through
 * {@link Importers#parseText} as Ctrl+V and File → Open take it; the values checked were read off the text by hand.
 */
class PastedListingsTest {
    private static ImportResult paste(String file) throws Exception {
        return Importers.parseText(Snapshots.text("/imports/pasted/" + file), file);
    }

    private static Set<String> group(Topology t, int n) {
        Set<String> out = new TreeSet<>();
        t.devices().stream().filter(d -> Integer.valueOf(n).equals(d.group())).forEach(d -> out.add(d.id()));
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"1-find-type-l/01.txt", "1-find-type-l/02.txt", "1-find-type-l/03.txt",
            "1-find-type-l/04.txt", "1-find-type-l/05.txt", "2-ls-devices/01.txt", "2-ls-devices/02.txt",
            "2-ls-devices/03.txt", "2-ls-devices/04.txt", "2-ls-devices/05.txt", "2-ls-devices/06.txt",
            "2-ls-devices/07.txt", "2-ls-devices/08.txt", "2-ls-devices/09.txt", "3-compgen/01.txt", "3-compgen/02.txt",
            "4-hash-group-blocks/01.txt", "4-hash-group-blocks/02.txt", "4-hash-group-blocks/03.txt",
            "5-r15ch13-gist/01.txt", "5-r15ch13-gist/02.txt", "5-r15ch13-gist/03.txt", "6-per-iommu-tree/01.txt",
            "7-driver-lines/01.txt", "7-driver-lines/02.txt", "7-driver-lines/03.txt", "7-driver-lines/04.txt",
            "7-driver-lines/05.txt", "7-driver-lines/06.txt", "7-driver-lines/07.txt", "7-driver-lines/08.txt",
            "7-driver-lines/09.txt", "7-driver-lines/10.txt", "7-driver-lines/11.txt", "8-nodedev-dumpxml/01.txt",
            "8-nodedev-dumpxml/02.txt", "9-iommu-state-reset-bootvga/01.txt", "9-iommu-state-reset-bootvga/02.txt",
            "9-iommu-state-reset-bootvga/05.txt", "9-iommu-state-reset-bootvga/07.txt",
            "9-iommu-state-reset-bootvga/08.txt", "extra-ls-reset-loop/01.txt"})
    void everyPastedGroupListingOpensWithItsGroupsFromTheSource(String file) throws Exception {
        Topology t = paste(file).topology();
        assertThat(t.groups()).isNotEmpty();
        assertThat(t.devices()).anySatisfy(d -> assertThat(d.group()).isNotNull());
        assertThat(t.facts().iommuGroups()).isTrue();
    }

    @Test
    void findListsPlatformMembersAndLeavesOutAnUngroupedDevice() throws Exception {
        Topology t = paste("1-find-type-l/03.txt").topology();
        assertThat(t.device("ff8f0000.vop").group()).isEqualTo(1);
        assertThat(t.device("ff900000.vop").group()).isEqualTo(2);
        assertThat(t.device("ff8f0000.vop").bus()).isEqualTo(BusType.PLATFORM);
        assertThat(t.device("0000:01:00.0")).isNull(); // named only in dmesg and virsh errors
        assertThat(t.device("ff8f0000.vop").driver()).isEqualTo(DriverSpec.UNKNOWN);
        assertThat(t.driver(BusType.PLATFORM, DriverSpec.UNKNOWN)).isNotNull();
    }

    @Test
    void unsortedCompgenAndATruncatedFindLine() throws Exception {
        Topology compgen = paste("3-compgen/01.txt").topology();
        assertThat(compgen.groups()).hasSize(9);
        assertThat(compgen.devices()).hasSize(28);
        Topology cut = paste("1-find-type-l/05.txt").topology();
        assertThat(group(cut, 7)).containsExactly("0000:00:15.0", "0000:00:15.1", "0000:00:15.2");
    }

    @Test
    void lsColumnsWithQuotedNonPciNamesAndAnotherDomain() throws Exception {
        Topology t = paste("2-ls-devices/01.txt").topology();
        assertThat(t.device("Fixed MDIO bus.0").group()).isEqualTo(1);
        assertThat(t.device("0001:00:00.0").group()).isEqualTo(10);
        assertThat(t.device("psci-cpuidle")).isNotNull();
        assertThat(t.device("snd-soc-dummy")).isNotNull();
    }

    @Test
    void lsLongGivesParentsFromTheTargetsEvenOnOneLineOrWrapped() throws Exception {
        Topology oneLine = paste("2-ls-devices/04.txt").topology(); // a web copy without line ends
        assertThat(group(oneLine, 7)).containsExactly("0000:00:1c.0", "0000:00:1c.6", "0000:03:00.0");
        assertThat(oneLine.device("0000:03:00.0").parent()).isEqualTo("0000:00:1c.6");
        Topology wrapped = paste("2-ls-devices/05.txt").topology(); // "->" ends the line, the target below
        assertThat(wrapped.device("0000:06:0d.1").parent()).isEqualTo("0000:00:1e.0");
        assertThat(wrapped.devices()).extracting(DeviceSpec::group).containsOnly(0); // the group of 06:0d.0
        Topology deep = paste("2-ls-devices/09.txt").topology(); // ls -la: "." and ".." lines
        assertThat(deep.device("0000:05:00.0").parent()).isEqualTo("0000:04:00.0");
        assertThat(group(deep, 15)).containsExactly("0000:04:00.0", "0000:05:00.0");
    }

    @Test
    void hashBlocksWithAnAuthorsColumnAndWithoutIds() throws Exception {
        Topology t = paste("4-hash-group-blocks/01.txt").topology();
        assertThat(group(t, 1)).containsExactly("0000:00:01.0", "0000:01:00.0", "0000:01:00.1");
        assertThat(t.device("0000:01:00.0").vendorDevice()).isEqualTo("10de:17c8");
        Topology plain = paste("4-hash-group-blocks/02.txt").topology(); // lspci -s: class names, no IDs
        assertThat(plain.device("0000:00:1c.0").pciClass()).isEqualTo(0x060400);
        assertThat(plain.device("0000:00:1c.0").group()).isEqualTo(7);
        assertThat(plain.device("0000:03:00.0").group()).isEqualTo(13);
    }

    @Test
    void gistContinuationAfterUsbLinesAndResetMarks() throws Exception {
        Topology t = paste("5-r15ch13-gist/02.txt").topology();
        assertThat(group(t, 3)).containsExactly("0000:00:14.0", "0000:00:14.2");
        assertThat(t.device("0000:00:14.2").vendorDevice()).isEqualTo("8086:43ef");
        assertThat(t.device("0000:00:14.2").pciClass() >> 8).isEqualTo(0x0500); // "RAM memory"
        Topology spaces = paste("5-r15ch13-gist/01.txt").topology();
        DeviceFacts bridge = spaces.facts().device("0000:00:01.1"); // [R]
        DeviceFacts host = spaces.facts().device("0000:00:01.0"); // five blanks
        assertThat(List.of(bridge.resettable(), host.resettable())).containsExactly(true, false);
        assertThat(bridge.resetMethods()).isNull(); // [R] says some method, not which
    }

    @Test
    void perIommuTreeReadsEachRepeatedMemberOnce() throws Exception {
        ImportResult r = paste("6-per-iommu-tree/01.txt");
        Topology t = r.topology();
        assertThat(t.devices()).hasSize(483);
        assertThat(t.groups()).hasSize(462);
        Integer g = t.device("0000:ff:1e.0").group();
        assertThat(group(t, g)).hasSize(8).allMatch(id -> id.startsWith("0000:ff:1e."));
        assertThat(t.facts().iommuUnits()).hasSize(20).contains("dmar0", "dmar19");
    }

    @Test
    void driversFromLspciKPastedAfterTheLoopAndFromIommuViewer() throws Exception {
        Topology t = paste("7-driver-lines/03.txt").topology();
        assertThat(t.device("0000:00:02.0").driver()).isEqualTo("i915");
        assertThat(t.device("0000:00:00.0").driver()).isNull(); // lspci -k printed no driver line: none bound
        Topology viewer = paste("7-driver-lines/04.txt").topology();
        assertThat(viewer.device("0000:00:01.1").driver()).isEqualTo("pcieport");
        assertThat(viewer.device("0000:00:00.0").driver()).isNull();
        assertThat(viewer.device("0000:00:01.1").group()).isEqualTo(2);
    }

    @Test
    void resetMarksOfTheLevel1TechsLoop() throws Exception {
        Topology t = paste("extra-ls-reset-loop/01.txt").topology();
        assertThat(t.facts().device("0000:04:00.0").resettable()).isTrue();
        assertThat(t.facts().device("0000:c5:00.0").resettable()).isFalse(); // the iGPU: no reset file
    }

    @Test
    void nodedevAfterAPromptListsTheUndescribedMembers() throws Exception {
        Topology t = paste("8-nodedev-dumpxml/01.txt").topology();
        assertThat(group(t, 44)).containsExactly("0000:40:03.0", "0000:40:03.1", "0000:41:00.0");
        assertThat(t.device("0000:40:03.0").driver()).isEqualTo(DriverSpec.UNKNOWN);
        assertThat(t.device("0000:41:00.0").driver()).isEqualTo("nvidia");
    }

    @Test
    void kernelLogGivesGroupsAndTheCommandLine() throws Exception {
        Topology t = paste("9-iommu-state-reset-bootvga/05.txt").topology();
        assertThat(t.facts().cmdline()).contains("intel_iommu=on iommu=pt");
        assertThat(t.facts().kernelLog()).anyMatch(l -> l.contains("Default domain type: Passthrough"));
    }

    /**
     * {@code dmesg | grep -e DMAR -e IOMMU} and the like list no device but answer what forums ask first: is the
     * IOMMU on. They import as a machine without devices whose facts hold the log, for the readiness checks.
     */
    @ParameterizedTest
    @ValueSource(strings = {"06.txt", "09.txt", "10.txt", "11.txt"})
    void aKernelLogWithoutGroupLinesKeepsWhatItSaysOfTheIommu(String file) throws Exception {
        ImportResult r = paste("9-iommu-state-reset-bootvga/" + file);
        assertThat(r.topology().devices()).isEmpty();
        assertThat(r.topology().facts().kernelLog()).isNotEmpty();
        assertThat(r.notes()).anyMatch(n -> n.toString().contains("the source lists no device, only what its kernel"
                + " log and command line say of the IOMMU"));
    }

    @Test
    void textWithNeitherALogNorACommandLineIsStillRefused() {
        assertThatThrownBy(() -> ListingImporter.importText("[not a timestamp] hello\nDMAR mentioned in prose\n"))
                .isInstanceOf(ImportException.class).hasMessageContaining("no IOMMU group listing");
    }

    @Test
    void aCommandLineTurningTheIommuOffMakesAListingWithoutGroupsAMachineWithoutThem() throws Exception {
        String lspci = """
                BOOT_IMAGE=/vmlinuz-6.1.0 root=/dev/nvme0n1p2 ro quiet intel_iommu=off
                00:01.0 PCI bridge [0604]: Intel Corporation Device [8086:460d] (rev 02)
                \tKernel driver in use: pcieport
                01:00.0 VGA compatible controller [0300]: NVIDIA Corporation GA104 [10de:2484] (rev a1)
                \tKernel driver in use: nouveau
                """;
        ImportResult r = ListingImporter.importText(lspci, "lspci.txt");
        assertThat(r.topology().iommuEnabled()).isFalse();
        assertThat(r.notes()).anyMatch(n -> n.toString().contains("intel_iommu=off and the source lists no group"));
        String withGroups = "BOOT_IMAGE=/vmlinuz ro intel_iommu=off\nIOMMU Group 1:\n\t01:00.0 VGA compatible"
                + " controller [0300]: NVIDIA Corporation GA104 [10de:2484] (rev a1)\n";
        assertThat(ListingImporter.importText(withGroups, "l").topology().iommuEnabled())
                .as("groups listed win over the command line (a later boot without the option)").isTrue();
    }
}
