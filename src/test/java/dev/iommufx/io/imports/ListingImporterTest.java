package dev.iommufx.io.imports;

import dev.iommufx.engine.WhatIf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.iommufx.engine.FixtureAccess;
import dev.iommufx.io.imports.ListingImporter.Format;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The text listings, hand-made: tolerance of what pastes look like, and merging a tree with a group listing. */
class ListingImporterTest {

    /** The real T5-switch machine (fixtures/kernel-6.1) as lspci -tvnn would draw it. */
    static final String T5_TREE = """
            -[0000:00]-+-00.0  Intel Corporation 82G33/G31/P35/P31 Express DRAM Controller [8086:29c0]
                       +-02.0-[01-04]----00.0-[02-04]--+-00.0-[03]----00.0  Intel Corporation 82574L Gigabit Network Connection [8086:10d3]
                       |                               \\-01.0-[04]----00.0  Intel Corporation 82574L Gigabit Network Connection [8086:10d3]
                       +-1f.0  Intel Corporation 82801IB (ICH9) LPC Interface Controller [8086:2918]
                       +-1f.2  Intel Corporation 82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller [AHCI mode] [8086:2922]
                       \\-1f.3  Intel Corporation 82801I (ICH9 Family) SMBus Controller [8086:2930]
            """;

    /** The same machine's groups as the shell loop prints them with lspci -nnks (the kernel's groups). */
    static final String T5_GROUPS = """
            IOMMU Group 0 00:00.0 Host bridge [0600]: Intel Corporation 82G33/G31/P35/P31 Express DRAM Controller [8086:29c0]
            IOMMU Group 1 00:02.0 PCI bridge [0604]: Red Hat, Inc. QEMU PCIe Root port [1b36:000c]
            \tKernel driver in use: pcieport
            IOMMU Group 2 00:1f.0 ISA bridge [0601]: Intel Corporation 82801IB (ICH9) LPC Interface Controller [8086:2918] (rev 02)
            IOMMU Group 2 00:1f.2 SATA controller [0106]: Intel Corporation 82801IR/IO/IH (ICH9R/DO/DH) 6 port SATA Controller [AHCI mode] [8086:2922] (rev 02)
            \tKernel driver in use: ahci
            IOMMU Group 2 00:1f.3 SMBus [0c05]: Intel Corporation 82801I (ICH9 Family) SMBus Controller [8086:2930] (rev 02)
            IOMMU Group 3 01:00.0 PCI bridge [0604]: Texas Instruments XIO3130 PCI Express Switch (Upstream) [104c:8232] (rev 02)
            \tKernel driver in use: pcieport
            IOMMU Group 4 02:00.0 PCI bridge [0604]: Texas Instruments XIO3130 PCI Express Switch (Downstream) [104c:8233] (rev 01)
            \tKernel driver in use: pcieport
            IOMMU Group 4 03:00.0 Ethernet controller [0200]: Intel Corporation 82574L Gigabit Network Connection [8086:10d3]
            \tSubsystem: Intel Corporation Gigabit CT Desktop Adapter [8086:0000]
            \tKernel driver in use: e1000e
            \tKernel modules: e1000e
            IOMMU Group 5 02:01.0 PCI bridge [0604]: Texas Instruments XIO3130 PCI Express Switch (Downstream) [104c:8233] (rev 01)
            \tKernel driver in use: pcieport
            IOMMU Group 5 04:00.0 Ethernet controller [0200]: Intel Corporation 82574L Gigabit Network Connection [8086:10d3]
            \tKernel driver in use: e1000e
            """;

    @Test
    void aTreePastedWithAGroupListingGivesParentsAndGroups() throws Exception {
        String pasted = "$ lspci -tvnn\n" + T5_TREE + "\n$ ./iommu-groups.sh\n" + T5_GROUPS;
        assertThat(ListingImporter.detect(pasted)).containsExactly(Format.GROUP_LISTING, Format.LSPCI_TREE);
        ImportResult r = ListingImporter.importText(pasted);
        Topology kernel = FixtureAccess.topology("kernel-6.1/T5-switch-claim.json");
        Topology t = r.topology();
        assertThat(r.groupsFromSource()).isTrue();
        for (DeviceSpec k : kernel.devices()) {
            DeviceSpec d = t.device(k.id());
            assertThat(List.of(String.valueOf(d.parent()), d.vendorDevice(), d.pciClass() >> 8, d.group()))
                    .as(k.id()).containsExactly(String.valueOf(k.parent()), k.vendorDevice(), k.pciClass() >> 8,
                            k.group());
        }
        assertThat(t.devices()).hasSize(kernel.devices().size());
        assertThat(t.device("0000:03:00.0").driver()).isEqualTo("e1000e");
        assertThat(t.device("0000:00:1f.2").driver()).isEqualTo("ahci");
        assertThat(t.device("0000:00:1f.0").multifunction()).isTrue();
        assertThat(r.notes()).extracting(ImportNote::what).allSatisfy(w -> assertThat(w).contains("not recognised"))
                .hasSize(2); // the two shell prompts
        // No PCIe types or ACS in listings: the engine sees conventional bridges, which alias their children,
        // and puts the whole switch into the root port's group where the kernel built four groups.
        List<String> diff = WhatIf.differences(t, WhatIf.derived(t));
        assertThat(diff).filteredOn(d -> d.contains("is no longer a group: merged into group")).hasSize(4);
        assertThat(diff).filteredOn(d -> d.startsWith("new group")).singleElement().asString().endsWith(
                "[0000:00:02.0, 0000:01:00.0, 0000:02:00.0, 0000:02:01.0, 0000:03:00.0, 0000:04:00.0]");
    }

    @Test
    void crlfBlanksTabsAndNoBreakSpacesReadLikeClean() throws Exception {
        String messy = "\uFEFF" + T5_GROUPS.lines().map(l -> "  " + l.replace(" [", "\u00A0[") + " \t")
                .reduce((a, b) -> a + "\r\n" + b).orElseThrow();
        Topology clean = ListingImporter.importText(T5_GROUPS).topology();
        Topology t = ListingImporter.importText(messy).topology();
        assertThat(t.devices()).isEqualTo(clean.devices());
        assertThat(t.drivers()).isEqualTo(clean.drivers());
    }

    @Test
    void duplicatesConflictsTruncationUnknownClassesVmdAndGarbageBecomeNotes() throws Exception {
        String text = String.join("\n",
                "user@host:~$ ./ls-iommu.sh",
                "IOMMU Group 1 00:01.0 PCI bridge [0604]: Intel Corporation 6th-10th Gen Core Processor PCIe Controller (x16) [8086:1901] (rev 07)",
                "IOMMU Group 1 01:00.0 VGA compatible controller [0300]: NVIDIA Corporation AD104 [GeForce RTX 4070] [10de:2786] (rev a1)",
                "\tKernel driver in use: vfio-pci",
                "\tKernel modules: nouveau, nvidia_drm, nvidia",
                "IOMMU Group 1 01:00.1 Audio device [0403]: NVIDIA Corporation AD104 High Definition Audio Controller [10de:22bc] (rev a1)",
                "\tKernel driver in use: snd_hda_intel",
                "IOMMU Group 1 01:00.0 VGA compatible controller [0300]: NVIDIA Corporation AD104 [GeForce RTX 4070] [10de:2786] (rev a1)",
                "IOMMU Group 7 01:00.1 Audio device [0403]: NVIDIA Corporation AD104 High Definition Audio Controller [10de:22bc] (rev a1)",
                "IOMMU Group 15 10000:e0:06.0 PCI bridge [0604]: Intel Corporation 12th Gen Core Processor PCI Express x4 Controller #0 [8086:464d] (rev 02)",
                "IOMMU Group 16 10000:e1:00.0 Non-Volatile memory controller [0108]: Samsung Electronics Co Ltd NVMe SSD Controller PM9A1/PM9A3/980PRO [144d:a80a]",
                "IOMMU Group 9 00:1f.5 Class [ee00]: Intel Corporation Device [8086:7a24] (rev 11)",
                "IOMMU Group 9 00:1f.4 SMBus: Intel Corporation Device [8086:7a23] (rev 11)",
                "IOMMU Group 3 00:14.0 USB controller [0c03]: Intel Corpor",
                "IOMMU Group 4 00:1",
                "Segmentation fault (core dumped)",
                "");
        ImportResult r = ListingImporter.importText(text, "paste.txt");
        Topology t = r.topology();
        assertThat(t.devices()).extracting(DeviceSpec::id).containsExactly("0000:00:01.0", "0000:00:14.0",
                "0000:00:1f.4", "0000:00:1f.5", "0000:01:00.0", "0000:01:00.1", "10000:e0:06.0", "10000:e1:00.0");
        assertThat(t.device("0000:01:00.1").group()).isEqualTo(1);
        assertThat(t.device("0000:01:00.0").driver()).isEqualTo("vfio-pci");
        assertThat(t.device("0000:01:00.1").driver()).isEqualTo("snd_hda_intel");
        assertThat(t.device("0000:01:00.0").multifunction()).isTrue();
        assertThat(t.device("0000:00:14.0").vendor()).isZero();
        assertThat(t.device("0000:00:1f.5").pciClass()).isEqualTo(0xee0000);
        assertThat(t.device("0000:00:1f.4").pciClass()).isEqualTo(0x0c0500); // lspci names the class ("SMBus"), which maps to its code
        DriverSpec vfio = t.driver(BusType.PCI, "vfio-pci");
        assertThat(List.of(vfio.vfio(), vfio.driverManagedDma(), vfio.match().overrideOnly())).containsOnly(true);
        assertThat(t.driver(BusType.PCI, "snd_hda_intel").match().ids()).containsExactly("10de:22bc");
        assertThat(r.notes()).extracting(ImportNote::toString).containsExactly(
                "paste.txt:8: duplicate of line 3; skipped",
                "paste.txt:9: 0000:01:00.1: IOMMU group 7 conflicts with 1 stated earlier; kept 1",
                "paste.txt:12: 0000:00:1f.5: unknown class ee00; kept",
                "paste.txt:14: 0000:00:14.0: truncated line: no [vendor:device] IDs; kept without them",
                "paste.txt:15: truncated or malformed line: no PCI address after the group number; skipped",
                "paste.txt: no lspci -t tree: the devices have no parents (every bus is drawn as a root bus)",
                "paste.txt:1: line not recognised; skipped: user@host:~$ ./ls-iommu.sh",
                "paste.txt:16: line not recognised; skipped: Segmentation fault (core dumped)");
    }

    @Test
    void aHeaderPerGroupWithIndentedMembers() throws Exception {
        Topology t = GroupListingImporter.importText("""
                IOMMU Group 0:
                \t00:00.0 Host bridge [0600]: Intel Corporation Device [8086:4660] (rev 02)
                IOMMU Group 1:
                \t00:01.0 PCI bridge [0604]: Intel Corporation 12th Gen Core Processor PCI Express x16 Controller #1 [8086:460d] (rev 02)
                \t01:00.0 VGA compatible controller [0300]: NVIDIA Corporation GA102 [GeForce RTX 3090] [10de:2204] (rev a1)
                \t01:00.1 Audio device [0403]: NVIDIA Corporation GA102 High Definition Audio Controller [10de:1aef] (rev a1)
                IOMMU Group 2:
                """).topology();
        assertThat(t.devices()).extracting(DeviceSpec::group).containsExactly(0, 1, 1, 1);
        assertThat(t.groups()).hasSize(2);
    }

    @Test
    void aColonAfterTheGroupNumberIsStillTheShellLoopNotLsIommu() throws Exception {
        String text = "IOMMU Group 12: 00:1c.0 PCI bridge [0604]: Intel Corporation 100 Series/C230 Series Chipset"
                + " Family PCI Express Root Port #1 [8086:a110] (rev f0)\n";
        assertThat(ListingImporter.detect(text)).containsExactly(Format.GROUP_LISTING);
        DeviceSpec d = Importers.parseText(text).topology().device("0000:00:1c.0");
        assertThat(List.of(d.group(), d.vendorDevice(), d.pciClass())).containsExactly(12, "8086:a110", 0x060400);
        assertThat(d.name()).isEqualTo("Intel Corporation 100 Series/C230 Series Chipset Family PCI Express Root Port #1");
    }

    @Test
    void lspciVmmRecordsWithATree() throws Exception {
        String text = """
                -[0000:00]-+-00.0  Intel Corporation Device [8086:4660]
                           \\-1c.0-[01]----00.0  Realtek Semiconductor Co., Ltd. RTL8125 2.5GbE Controller [10ec:8125]

                Slot:\t00:1c.0
                Class:\tPCI bridge [0604]
                Vendor:\tIntel Corporation [8086]
                Device:\tAlder Lake-S PCH PCI Express Root Port #1 [7ab8]
                ProgIf:\t00
                Driver:\tpcieport
                IOMMUGroup:\t13

                Slot:\t01:00.0
                Class:\tEthernet controller [0200]
                Vendor:\tRealtek Semiconductor Co., Ltd. [10ec]
                Device:\tRTL8125 2.5GbE Controller [8125]
                Rev:\t05
                Driver:\tr8169
                Module:\tr8169
                IOMMUGroup:\t13

                Slot:\t00:00.0
                Class:\t0600
                Vendor:\t8086
                Device:\t4660
                IOMMUGroup:\t0
                """;
        assertThat(ListingImporter.detect(text)).containsExactly(Format.LSPCI_VMM, Format.LSPCI_TREE);
        ImportResult r = ListingImporter.importText(text);
        Topology t = r.topology();
        assertThat(r.notes()).isEmpty();
        assertThat(t.device("0000:01:00.0").parent()).isEqualTo("0000:00:1c.0");
        assertThat(t.device("0000:01:00.0").driver()).isEqualTo("r8169");
        assertThat(t.device("0000:01:00.0").name()).isEqualTo("RTL8125 2.5GbE Controller");
        assertThat(t.device("0000:00:1c.0").group()).isEqualTo(13);
        assertThat(t.device("0000:00:00.0").vendorDevice()).isEqualTo("8086:4660");
        // a bridge and its only child: the same either way
        assertThat(Groups.membership(WhatIf.derived(t))).isEqualTo(Groups.membership(t));
    }

    @Test
    void treesWithSeveralDomainsEmptyBridgesAndStrayLines() throws Exception {
        ImportResult r = LspciTreeImporter.importText("""
                -+-[0000:00]-+-00.0  Intel Corporation Device [8086:4660]
                 |           +-0e.0  Intel Corporation Volume Management Device NVMe RAID Controller [8086:467f]
                 |           +-0e.0  Intel Corporation Volume Management Device NVMe RAID Controller [8086:467f]
                 |           \\-1c.0-[01]--
                 \\-[10000:e0]-+-06.0-[e1]----00.0  Samsung Electronics Co Ltd NVMe SSD Controller PM9A1/PM9A3/980PRO [144d:a80a]
                              \\-17.0  Intel Corporation Alder Lake SATA AHCI Controller [8086:7ae2]
                                                       +-05.0  Stray line
                """, "tree.txt");
        Topology t = r.topology();
        assertThat(t.devices()).extracting(DeviceSpec::id).containsExactly("0000:00:00.0", "0000:00:0e.0",
                "0000:00:1c.0", "10000:e0:06.0", "10000:e0:17.0", "10000:e1:00.0");
        assertThat(t.device("10000:e1:00.0").parent()).isEqualTo("10000:e0:06.0");
        assertThat(t.device("10000:e0:06.0").parent()).isNull();
        assertThat(t.device("0000:00:1c.0").pciClass()).isEqualTo(0x060400);
        assertThat(t.device("10000:e1:00.0").name()).isEqualTo("Samsung Electronics Co Ltd NVMe SSD Controller PM9A1/PM9A3/980PRO");
        assertThat(r.groupsFromSource()).isFalse();
        assertThat(r.notes()).extracting(ImportNote::toString).contains(
                "tree.txt:3: 0000:00:0e.0 is drawn twice in the tree (first at line 2); skipped",
                "tree.txt:7: device 05.0 at column 42 hangs from no bus drawn above (truncated tree?); line skipped");
    }

    @Test
    void emptyOrUnknownTextIsRefusedClearly() {
        assertThatThrownBy(() -> ListingImporter.importText("")).isInstanceOf(ImportException.class)
                .hasMessage("pasted text: the text is empty: nothing to import");
        assertThatThrownBy(() -> ListingImporter.importText(" \r\n\t\n")).isInstanceOf(ImportException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> ListingImporter.importText("hello\nworld\n")).isInstanceOf(ImportException.class)
                .hasMessageContaining("no IOMMU group listing, lspci -vmm record, lspci -t tree, ls-iommu line, sysfs path,"
                        + " ls of a group's devices or kernel log \"Adding to iommu group\" line found");
        assertThatThrownBy(() -> LspciVmmImporter.importText(T5_GROUPS)).isInstanceOf(ImportException.class)
                .hasMessageContaining("no line of lspci -vmm records found");
    }

    @Test
    void aSingleFormatImporterReportsTheOtherFormatsLines() throws Exception {
        ImportResult r = GroupListingImporter.importText(T5_TREE + T5_GROUPS, "both.txt");
        assertThat(r.topology().device("0000:03:00.0").parent()).isNull();
        assertThat(r.notes()).filteredOn(n -> n.what().contains("not recognised")).hasSize(6);
    }

    @Test
    void vfioVariantDriversAndStubAreRecognised() {
        assertThat(DriverCatalog.isVfioPci("vfio-pci")).isTrue();
        assertThat(DriverCatalog.isVfioPci("mlx5_vfio_pci")).isTrue();
        assertThat(DriverCatalog.isVfioPci("hisi_acc_vfio_pci")).isTrue();
        assertThat(DriverCatalog.isVfioPci("vfio_pci_core")).isFalse();
        assertThat(DriverCatalog.isPciStub("pci-stub")).isTrue();
        assertThat(DriverCatalog.isPciStub("pci_stub")).isTrue();
        assertThat(Set.of("nvidia", "amdgpu")).noneMatch(DriverCatalog::isVfioPci);
    }
}
