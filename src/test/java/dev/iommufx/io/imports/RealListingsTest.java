package dev.iommufx.io.imports;

import dev.iommufx.engine.WhatIf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.io.imports.ListingImporter.Format;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Listings people really pasted (imports/SOURCES.md), each imported with the importer for its format and
 * through {@link Importers}: device and group counts, and a few devices' groups, IDs and drivers checked by
 * hand against the text.
 */
class RealListingsTest {

    private static ImportResult open(String file) throws Exception {
        return Importers.open(Snapshots.resource("/imports/listings/" + file));
    }

    private static String text(String file) {
        return Snapshots.text("/imports/listings/" + file);
    }

    private static Set<String> group(Topology t, int n) {
        Set<String> out = new TreeSet<>();
        t.devices().stream().filter(d -> Integer.valueOf(n).equals(d.group())).forEach(d -> out.add(d.id()));
        return out;
    }

    private static List<String> unrecognised(ImportResult r) {
        return r.notes().stream().filter(n -> n.what().contains("not recognised")).map(ImportNote::where).toList();
    }

    @Test
    void shellLoopOneLinePerDeviceWithThePromptPastedToo() throws Exception {
        ImportResult r = GroupListingImporter.importText(text("shell-loop-asokolsky-duo.txt"), "duo");
        Topology t = r.topology();
        assertThat(t.devices()).hasSize(15);
        assertThat(t.groups()).hasSize(12);
        assertThat(r.groupsFromSource()).isTrue();
        assertThat(group(t, 8)).containsExactly("0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.4");
        assertThat(group(t, 2)).containsExactly("0000:00:14.0", "0000:00:14.2");
        DeviceSpec igpu = t.device("0000:00:02.0");
        assertThat(List.of(igpu.vendorDevice(), igpu.pciClass(), igpu.group())).containsExactly("8086:3e92", 0x030000, 0);
        assertThat(t.device("0000:03:00.0").vendorDevice()).isEqualTo("15b7:5009");
        assertThat(t.device("0000:03:00.0").name()).isEqualTo("Sandisk Corp WD Blue SN550 NVMe SSD");
        assertThat(unrecognised(r)).containsExactly("duo:1", "duo:2"); // the prompt and its continuation
        assertThat(t.facts().cmdline()).startsWith("BOOT_IMAGE=/ROOT/23.10.2@/boot/vmlinuz-6.1.74-production+truenas"); // line 3
        // lspci -nns prints no drivers: every device's driver is unknown (the stand-in), and vfio-pci is known
        // only as a module not loaded yet (kernel-model §2.6)
        assertThat(t.drivers()).extracting(d -> d.name() + " loaded=" + d.loaded())
                .containsExactly(DriverSpec.UNKNOWN + " loaded=true", "vfio-pci loaded=false");
        assertThat(t.devices()).extracting(DeviceSpec::driver).containsOnly(DriverSpec.UNKNOWN);
        // The I219 (8086:15b8) is isolated by the kernel's ACS quirk (pci_quirk_mf_endpoint_acs), which the engine
        // applies too; the PCH root ports' quirk needs their PCIe type, which a listing does not give:
        assertThat(Groups.membership(t)).contains(Set.of("0000:00:1f.6"), Set.of("0000:00:1c.0"));
        assertThat(Groups.membership(WhatIf.derived(t))).contains(Set.of("0000:00:1f.6"),
                Set.of("0000:00:1c.0", "0000:00:1c.5"));
    }

    @Test
    void shellLoopWithAHeaderPerGroupTwoSpacesIndented() throws Exception {
        ImportResult r = open("shell-loop-header-asrock-z170.txt");
        Topology t = r.topology();
        assertThat(t.devices()).hasSize(20);
        assertThat(t.groups()).hasSize(14);
        assertThat(group(t, 1)).containsExactly("0000:00:01.0", "0000:01:00.0", "0000:01:00.1");
        assertThat(group(t, 10)).containsExactly("0000:00:1f.0", "0000:00:1f.2", "0000:00:1f.3", "0000:00:1f.4");
        assertThat(t.device("0000:01:00.0").vendorDevice()).isEqualTo("10de:1401");
        assertThat(t.device("0000:04:00.0").group()).isEqualTo(13);
        assertThat(t.device("0000:04:00.0").pciClass()).isEqualTo(0x028000);
        assertThat(unrecognised(r)).isEmpty();
        // Without the tree the GPU's root port is not its parent: the engine splits group 1.
        assertThat(Groups.membership(t)).contains(Set.of("0000:00:01.0", "0000:01:00.0", "0000:01:00.1"));
        assertThat(Groups.membership(WhatIf.derived(t))).contains(Set.of("0000:00:01.0"),
                Set.of("0000:01:00.0", "0000:01:00.1"));
    }

    @Test
    void shellLoopWithAHeaderPerGroupEightSpacesIndented() throws Exception {
        Topology t = open("shell-loop-header-msi-b450m-mortar.txt").topology();
        assertThat(t.devices()).hasSize(33);
        assertThat(t.groups()).hasSize(13);
        assertThat(group(t, 4)).containsExactly("0000:00:08.0", "0000:00:08.2", "0000:39:00.0");
        assertThat(group(t, 7)).hasSize(8).allMatch(id -> id.startsWith("0000:00:18."));
        assertThat(group(t, 9)).containsExactly("0000:15:00.0", "0000:15:00.1", "0000:15:00.2", "0000:16:00.0",
                "0000:16:01.0", "0000:16:04.0", "0000:18:00.0");
        assertThat(group(t, 8)).containsExactly("0000:10:00.0");
        assertThat(t.device("0000:10:00.0").vendorDevice()).isEqualTo("1002:67df");
        assertThat(t.device("0000:38:00.0").multifunction()).isTrue();
    }

    @Test
    void shellLoopAfterAnErrorLineEndingMidLine() throws Exception {
        ImportResult r = open("shell-loop-mobilepassthrough-7.txt");
        Topology t = r.topology();
        assertThat(t.devices()).hasSize(11);
        assertThat(t.groups()).extracting(g -> g.id()).containsExactly(0, 1, 2, 10, 11, 12, 13);
        assertThat(group(t, 1)).containsExactly("0000:00:01.0", "0000:01:00.0", "0000:01:00.1");
        assertThat(t.device("0000:01:00.0").pciClass()).isEqualTo(0x030200); // a 3D controller
        assertThat(t.device("0000:05:00.0").vendorDevice()).isEqualTo("168c:0034");
        DeviceSpec cut = t.device("0000:00:14.0");
        assertThat(List.of(cut.group(), cut.vendor(), cut.pciClass())).containsExactly(2, 0, 0x0c0300);
        assertThat(r.notes()).extracting(ImportNote::toString).contains(
                "shell-loop-mobilepassthrough-7.txt:12: 0000:00:14.0: truncated line: no [vendor:device] IDs;"
                        + " kept without them",
                "shell-loop-mobilepassthrough-7.txt:1: line not recognised; skipped: lsiommu: 3: lsiommu: shopt:"
                        + " not found");
    }

    @Test
    void lspciVmmRecordsWithDevicesOutsideAnyGroup() throws Exception {
        ImportResult r = LspciVmmImporter.importText(text("vmm-davinci-resolve-checker-4.txt"), "davinci");
        Topology t = r.topology();
        assertThat(t.devices()).hasSize(7);
        assertThat(t.groups()).hasSize(5);
        assertThat(r.groupsFromSource()).isFalse(); // the root complex and the IOMMU itself have no group
        assertThat(t.devices()).filteredOn(d -> "pcieport".equals(d.driver())).extracting(DeviceSpec::id)
                .containsExactly("0000:00:01.3", "0000:00:01.7", "0000:00:08.1");
        assertThat(t.device("0000:00:00.2").pciClass()).isEqualTo(0x080600);
        assertThat(t.device("0000:00:01.3").name()).isEqualTo("Raven/Raven2 PCIe GPP Bridge [6:0]");
        assertThat(t.device("0000:00:08.1").group()).isEqualTo(4);
        assertThat(r.notes()).extracting(ImportNote::toString).contains(
                "davinci:48: record without a valid Slot (truncated?); skipped",
                "davinci:1: 0000:00:00.0 has no IOMMU group in the source: the engine derives one",
                "davinci:8: 0000:00:00.2 has no IOMMU group in the source: the engine derives one");
    }

    @Test
    void lspciNnvmmAfterThePromptEndingInsideARecord() throws Exception {
        ImportResult r = open("vmm-iommu-info-generate-11.txt");
        Topology t = r.topology();
        assertThat(ListingImporter.detect(text("vmm-iommu-info-generate-11.txt"))).containsExactly(Format.LSPCI_VMM);
        assertThat(t.devices()).hasSize(6);
        assertThat(t.groups()).extracting(g -> g.id()).containsExactly(0, 1, 2);
        assertThat(t.device("0000:00:01.1").vendorDevice()).isEqualTo("1022:1633");
        assertThat(t.device("0000:00:02.1").group()).isNull();
        assertThat(unrecognised(r)).containsExactly("vmm-iommu-info-generate-11.txt:1");
    }

    @Test
    void lsIommuWithKernelDriversEndingMidLine() throws Exception {
        String text = text("ls-iommu-quickpassthrough-22.txt");
        assertThat(ListingImporter.detect(text)).containsExactly(Format.LS_IOMMU);
        ImportResult r = LsIommuImporter.importText(text, "qp22");
        Topology t = r.topology();
        assertThat(t.devices()).hasSize(6);
        assertThat(t.groups()).singleElement().extracting(g -> g.id()).isEqualTo(12);
        assertThat(t.device("0000:01:00.0").driver()).isEqualTo("xhci_hcd");
        assertThat(t.device("0000:01:00.1").driver()).isEqualTo("ahci");
        assertThat(t.devices()).filteredOn(d -> "pcieport".equals(d.driver())).extracting(DeviceSpec::id)
                .containsExactly("0000:01:00.2", "0000:02:00.0", "0000:02:01.0");
        assertThat(t.driver(BusType.PCI, "xhci_hcd").match().ids()).containsExactly("1022:43d0");
        assertThat(t.device("0000:02:02.0").vendor()).isZero();
        assertThat(t.device("0000:02:02.0").pciClass()).isEqualTo(0x060400);
        assertThat(r.notes()).extracting(ImportNote::toString).contains(
                "qp22:16: 0000:02:02.0: truncated line: no [vendor:device] IDs; kept without them");
        assertThat(unrecognised(r)).isEmpty(); // Subsystem: and Kernel driver in use: lines are understood
    }

    @Test
    void lsIommuOneLineWithAPaddedGroupNumber() throws Exception {
        ImportResult r = open("ls-iommu-issue-3.txt");
        DeviceSpec d = r.topology().device("0000:00:02.0");
        assertThat(r.topology().devices()).hasSize(1);
        assertThat(List.of(d.group(), d.vendorDevice(), d.pciClass())).containsExactly(0, "8086:9a49", 0x030000);
        assertThat(d.name()).isEqualTo("Intel Corporation TigerLake-LP GT2 [Iris Xe Graphics]");
    }

    @Test
    void lspciTreeOfADualSocketServer() throws Exception {
        ImportResult r = LspciTreeImporter.importText(text("tree-stelline-asus-esc8000a-e12.txt"), "esc8000a");
        Topology t = r.topology();
        assertThat(t.devices()).hasSize(198); // every "DD.F" in the drawing, counted in the text
        assertThat(t.devices()).filteredOn(d -> d.pciClass() == 0x060400).hasSize(59); // every "DD.F-[..]"
        assertThat(t.devices()).filteredOn(d -> d.parent() == null).extracting(d -> d.id().substring(0, 7))
                .containsOnly("0000:00", "0000:20", "0000:40", "0000:60", "0000:80", "0000:a0", "0000:c0",
                        "0000:e0");
        assertThat(t.device("0000:01:00.0").parent()).isEqualTo("0000:00:01.1");
        assertThat(t.device("0000:01:00.0").name()).isEqualTo("NVIDIA Corporation AD102GL [RTX 6000 Ada Generation]");
        // the chained switch: 60:01.1 -> 61:00.0 -> 62:00.0 -> 63:00.0 -> 64:10.0 -> 65:00.0
        assertThat(List.of(t.device("0000:65:00.0").parent(), t.device("0000:64:10.0").parent(),
                t.device("0000:63:00.0").parent(), t.device("0000:62:00.0").parent(),
                t.device("0000:61:00.0").parent())).containsExactly("0000:64:10.0", "0000:63:00.0", "0000:62:00.0",
                "0000:61:00.0", "0000:60:01.1");
        assertThat(t.device("0000:6e:00.0").parent()).isEqualTo("0000:6a:0c.0");
        assertThat(t.device("0000:70:15.0").parent()).isEqualTo("0000:6f:00.0"); // a bridge with no child
        assertThat(t.children("0000:70:15.0")).isEmpty();
        assertThat(t.device("0000:75:00.0").parent()).isEqualTo("0000:74:00.0");
        assertThat(t.device("0000:e3:00.4").parent()).isEqualTo("0000:e0:07.1");
        assertThat(r.groupsFromSource()).isFalse();
        assertThat(unrecognised(r)).containsExactly("esc8000a:1");
    }
}
