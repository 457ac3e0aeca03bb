package dev.iommufx.io.imports;

import dev.iommufx.engine.WhatIf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iommufx.engine.FixtureAccess;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DomainType;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.GroupSpec;
import dev.iommufx.model.PcieType;
import dev.iommufx.model.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sysfs importer against the real Linux 6.1 snapshots of fixtures/kernel-6.1/sysfs: every device, its
 * parent, IDs, class, multifunction bit, PCIe type, ACS registers, driver and group must be what the kernel
 * reported in the matching record's {@code pci} array, and the engine must derive the same group membership
 * from the imported data once the group numbers are removed.
 */
class SysfsImporterTest {
    private static final String NO_CHANGE = "no change: the groups are the same";

    static Stream<String> machines() {
        return Snapshots.MACHINES.stream();
    }

    /** The kernel's own view of the machine at boot (the record's "pci" array). */
    private static Topology kernel(String machine) {
        return FixtureAccess.topology("kernel-6.1/" + machine + "-claim.json");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("machines")
    void importsExactlyWhatTheKernelReported(String machine) throws Exception {
        ImportResult r = SysfsImporter.importArchive(Snapshots.archive(machine));
        Topology kernel = kernel(machine);
        assertThat(r.notes()).isEmpty();
        assertThat(r.groupsFromSource()).isTrue();
        assertThat(r.topology().devices()).extracting(DeviceSpec::id)
                .containsExactlyInAnyOrderElementsOf(kernel.devices().stream().map(DeviceSpec::id).toList());
        for (DeviceSpec k : kernel.devices()) {
            DeviceSpec d = r.topology().device(k.id());
            assertThat(List.of(d.parent() == null ? "-" : d.parent(), d.vendor(), d.device(), d.pciClass(),
                    d.multifunction(), String.valueOf(d.pcieType()), String.valueOf(d.acs()),
                    String.valueOf(d.driver()), d.group()))
                    .as(machine + " " + k.id())
                    .containsExactly(k.parent() == null ? "-" : k.parent(), k.vendor(), k.device(), k.pciClass(),
                            k.multifunction(), String.valueOf(k.pcieType()), String.valueOf(k.acs()),
                            String.valueOf(k.driver()), k.group());
        }
        assertThat(r.topology().groups()).extracting(GroupSpec::defaultDomain).containsOnly(DomainType.DMA_FQ);
        assertThat(r.topology().defaultDomainType()).isEqualTo(DomainType.DMA_FQ);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("machines")
    void withoutGroupNumbersTheEngineDerivesTheKernelsMembership(String machine) throws Exception {
        Topology imported = SysfsImporter.importArchive(Snapshots.archive(machine)).topology();
        List<java.util.Set<String>> kernelGroups = Groups.membership(kernel(machine));
        assertThat(Groups.membership(WhatIf.derived(imported))).isEqualTo(kernelGroups);
        assertThat(Groups.membership(imported)).isEqualTo(kernelGroups);
        assertThat(WhatIf.differences(imported, WhatIf.derived(imported))).containsExactly(NO_CHANGE);
    }

    @Test
    void theSwitchMachineHasTheKernelsGroups() throws Exception {
        Topology t = SysfsImporter.importArchive(Snapshots.archive("T5-switch")).topology();
        assertThat(Groups.membership(WhatIf.derived(t))).containsExactly(
                java.util.Set.of("0000:00:00.0"),
                java.util.Set.of("0000:00:02.0"),
                java.util.Set.of("0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.3"),
                java.util.Set.of("0000:01:00.0"),
                java.util.Set.of("0000:02:00.0", "0000:03:00.0"),
                java.util.Set.of("0000:02:01.0", "0000:04:00.0"));
        assertThat(t.device("0000:00:02.0").acs().cap()).isEqualTo(0x5f);
        assertThat(t.device("0000:00:02.0").acs().ctrl()).isEqualTo(0x1d);
        assertThat(t.device("0000:02:00.0").pcieType()).isEqualTo(PcieType.DOWNSTREAM_PORT);
    }

    @Test
    void driversSeenAndRegisteredBecomeDriverSpecs() throws Exception {
        Topology t = SysfsImporter.importArchive(Snapshots.archive("T2-pcibridge")).topology();
        assertThat(t.drivers()).extracting(DriverSpec::name).startsWith("pcieport")
                .contains("e1000", "e1000e", "shpchp").endsWith("pci-stub", "vfio-pci");
        DriverSpec pcieport = t.drivers().get(0);
        assertThat(pcieport.driverManagedDma()).isTrue();
        assertThat(pcieport.match().classes()).containsExactly("0604");
        assertThat(pcieport.pcieTypes()).containsExactly(PcieType.ROOT_PORT, PcieType.UPSTREAM_PORT,
                PcieType.DOWNSTREAM_PORT);
        DriverSpec vfio = t.driver(dev.iommufx.model.BusType.PCI, "vfio-pci");
        assertThat(List.of(vfio.driverManagedDma(), vfio.vfio(), vfio.match().overrideOnly()))
                .containsOnly(true);
        DriverSpec stub = t.driver(dev.iommufx.model.BusType.PCI, "pci-stub");
        assertThat(List.of(stub.driverManagedDma(), stub.vfio(), stub.match().overrideOnly()))
                .containsExactly(true, false, true);
        DriverSpec e1000 = t.driver(dev.iommufx.model.BusType.PCI, "e1000");
        assertThat(e1000.driverManagedDma()).isFalse();
        assertThat(e1000.match().ids()).containsExactly("8086:100e");
    }

    @Test
    void anUnpackedSnapshotAndItsSysDirectoryReadLikeTheArchive(@TempDir Path tmp) throws Exception {
        Snapshots.extract(Snapshots.archive("T3-multifunction"), tmp);
        Topology packed = SysfsImporter.importArchive(Snapshots.archive("T3-multifunction")).topology();
        assertThat(SysfsImporter.importDirectory(tmp).topology().devices()).isEqualTo(packed.devices());
        assertThat(SysfsImporter.importDirectory(tmp.resolve("sys")).topology().devices())
                .isEqualTo(packed.devices());
    }

    @Test
    void withoutRootConfigHas64BytesTheGroupsStayTheKernels(@TempDir Path tmp) throws Exception {
        Snapshots.extract(Snapshots.archive("T5-switch"), tmp);
        try (Stream<Path> files = Files.walk(tmp)) {
            for (Path config : files.filter(p -> p.getFileName().toString().equals("config")).toList()) {
                Files.write(config, java.util.Arrays.copyOf(Files.readAllBytes(config), 64));
            }
        }
        ImportResult r = SysfsImporter.importDirectory(tmp);
        assertThat(r.groupsFromSource()).isTrue();
        assertThat(Groups.membership(r.topology())).isEqualTo(Groups.membership(kernel("T5-switch")));
        assertThat(r.topology().devices()).allSatisfy(d -> {
            assertThat(d.pcieType()).isNull();
            assertThat(d.acs()).isNull();
        });
        assertThat(r.topology().device("0000:00:1f.0").multifunction()).isTrue(); // the header byte is in the 64
        // every function with a capability list (the PCIe ones and the AHCI controller) has it beyond byte 64
        assertThat(r.notes()).allSatisfy(n -> assertThat(n.what()).contains("only 64 bytes readable"))
                .extracting(n -> n.where().replaceAll(".*/(0000:[^/]+)/config$", "$1"))
                .containsExactlyInAnyOrder("0000:00:02.0", "0000:01:00.0", "0000:02:00.0", "0000:02:01.0",
                        "0000:03:00.0", "0000:04:00.0", "0000:00:1f.2");
        // what the engine would derive without PCIe types and ACS: everything below the root port in one group
        assertThat(WhatIf.differences(r.topology(), WhatIf.derived(r.topology()))).doesNotContain(NO_CHANGE);
        assertThat(Groups.membership(WhatIf.derived(r.topology()))).contains(java.util.Set.of(
                "0000:00:02.0", "0000:01:00.0", "0000:02:00.0", "0000:02:01.0", "0000:03:00.0", "0000:04:00.0"));
    }

    @Test
    void oddEntriesOverridesGroupTypesAndVirtualFunctions(@TempDir Path tmp) throws Exception {
        Snapshots.extract(Snapshots.archive("T1-rootports"), tmp);
        Path sys = tmp.resolve("sys");
        Path nicA = sys.resolve("devices/pci0000:00/0000:00:02.0/0000:01:00.0");
        Files.writeString(nicA.resolve("driver_override"), "vfio-pci\n");
        Files.writeString(sys.resolve("kernel/iommu_groups/5/type"), "unknown\n");
        Files.writeString(sys.resolve("kernel/iommu_groups/4/type"), "identity\n");
        Files.writeString(sys.resolve("bus/pci/devices/bogus"), "x");
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/0000:09:00.0"),
                Path.of("../../../devices/pci0000:00/0000:00:09.0/0000:09:00.0"));
        Files.createSymbolicLink(sys.resolve("kernel/iommu_groups/3/devices/fe300000.ethernet"),
                Path.of("../../../../devices/platform/fe300000.ethernet"));
        Path vf = sys.resolve("devices/pci0000:00/0000:00:03.0/0000:02:00.1");
        Files.createDirectories(vf);
        for (String f : List.of("vendor", "device", "class", "config")) {
            Files.copy(sys.resolve("devices/pci0000:00/0000:00:03.0/0000:02:00.0").resolve(f), vf.resolve(f));
        }
        Files.createSymbolicLink(vf.resolve("physfn"), Path.of("../0000:02:00.0"));
        Files.createSymbolicLink(vf.resolve("iommu_group"), Path.of("../../../../kernel/iommu_groups/6"));
        Files.createDirectories(sys.resolve("kernel/iommu_groups/6/devices"));
        Files.createSymbolicLink(sys.resolve("bus/pci/devices/0000:02:00.1"),
                Path.of("../../../devices/pci0000:00/0000:00:03.0/0000:02:00.1"));

        ImportResult r = SysfsImporter.importDirectory(tmp);
        Topology t = r.topology();
        assertThat(t.device("0000:01:00.0").driverOverride()).isEqualTo("vfio-pci");
        assertThat(t.device("0000:02:00.0").driverOverride()).isNull(); // "(null)"
        assertThat(t.group(5).defaultDomain()).isNull();
        assertThat(t.group(4).defaultDomain()).isEqualTo(DomainType.IDENTITY);
        assertThat(t.group(6).defaultDomain()).isEqualTo(DomainType.DMA_FQ); // no type file: the common type
        DeviceSpec v = t.device("0000:02:00.1");
        assertThat(v.physfn()).isEqualTo("0000:02:00.0");
        assertThat(v.parent()).isEqualTo("0000:00:03.0");
        assertThat(v.group()).isEqualTo(6);
        assertThat(r.notes()).extracting(ImportNote::toString).anySatisfy(s -> assertThat(s)
                .contains("bus/pci/devices/bogus").contains("not a PCI address"));
        assertThat(r.notes()).extracting(ImportNote::toString).anySatisfy(s -> assertThat(s)
                .contains("0000:09:00.0").contains("dangling"));
        assertThat(r.notes()).extracting(ImportNote::toString).anySatisfy(s -> assertThat(s)
                .contains("fe300000.ethernet").contains("out of scope"));
        assertThat(t.devices()).hasSize(9);
    }

    @Test
    void aDirectoryWithoutSysfsIsRefused(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("readme.txt"), "nothing here");
        assertThatThrownBy(() -> SysfsImporter.importDirectory(tmp)).isInstanceOf(ImportException.class)
                .hasMessageContaining("no sys/bus/pci/devices");
    }

    @Test
    void linksThatClimbAboveTheRootStayInsideIt(@TempDir Path tmp) throws Exception {
        Snapshots.extract(Snapshots.archive("T1-rootports"), tmp);
        Path sys = tmp.resolve("sys");
        Path dev = sys.resolve("devices/pci0000:00/0000:00:02.0/0000:01:00.0");
        Files.delete(dev.resolve("vendor"));
        Files.createSymbolicLink(dev.resolve("vendor"), Path.of("../../../../../../../../../../etc/hostname"));
        ImportResult r = SysfsImporter.importDirectory(tmp);
        // ".." stops at the snapshot's root: the link reads <root>/etc/hostname, which does not exist
        assertThat(r.topology().device("0000:01:00.0").vendor()).isEqualTo(0x8086); // from config instead
    }
}
