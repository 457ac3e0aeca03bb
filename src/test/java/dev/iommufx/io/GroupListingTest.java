package dev.iommufx.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.IommuGroup;
import dev.iommufx.engine.Kernel;
import dev.iommufx.io.imports.GroupListingImporter;
import dev.iommufx.io.imports.Importers;
import dev.iommufx.model.BusType;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The forum listing of the groups: the common loop's form, and imported back to the same groups. */
class GroupListingTest {

    /** Per group, its PCI members with their IDs, class and driver: what the listing carries. */
    private static Map<Integer, List<String>> groups(Kernel k) {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (IommuGroup g : k.groups()) {
            List<String> members = new ArrayList<>();
            for (Device d : g.devices()) {
                if (d.bus() == BusType.PCI) {
                    members.add(d.id() + " " + d.spec().vendorDevice() + String.format(" %04x ", d.spec().pciClass() >> 8)
                            + (d.sysfsDriver() == null ? "-" : d.sysfsDriver().name()));
                }
            }
            members.sort(null);
            out.put(g.id(), members);
        }
        return out;
    }

    private static Kernel imported(String listing) throws Exception {
        return Kernel.boot(GroupListingImporter.importText(listing, "listing.txt").topology());
    }

    @ParameterizedTest
    @ValueSource(strings = {"workstation.json", "sriov-nic.json", "t1-rootports.json", "t2-pcibridge.json",
        "t3-multifunction.json", "t5-switch.json", "lesson-harmless-siblings.json", "lesson-three-functions.json"})
    void importingTheListingGivesTheSameGroups(String bundled) throws Exception {
        Kernel k = Kernel.boot(MachineFiles.load(MachineFiles.locate("bundled:" + bundled)).topology());
        String listing = GroupListing.of(k);
        assertThat(groups(imported(listing))).isEqualTo(groups(k));
        assertThat(GroupListing.of(imported(listing))).as("written again").isEqualTo(listing);
    }

    @Test
    void aServerFromHwlocAndItsOtherDomainsRoundTrip() throws Exception {
        Path xml = Path.of(getClass().getResource("/imports/xml/hwloc-nvidia-dgx2.xml").toURI());
        Kernel k = Kernel.boot(Importers.open(xml).topology());
        assertThat(groups(imported(GroupListing.of(k)))).isEqualTo(groups(k));
    }

    @Test
    void itIsTheLoopsFormWithLspcisClassesAndDriverLines() throws Exception {
        Kernel k = Kernel.boot(MachineFiles.load(MachineFiles.locate("bundled:workstation.json")).topology());
        String listing = GroupListing.of(k);
        assertThat(listing).startsWith("IOMMU Group 0:\n\t00:00.0 Host bridge [0600]: ");
        assertThat(listing).contains("IOMMU Group 8:\n\t01:00.0 VGA compatible controller [0300]: GPU: GeForce RTX 4070"
                + " [10de:2786]\n\tKernel driver in use: nouveau\n\t01:00.1 Audio device [0403]: ");
        List<Integer> order = listing.lines().filter(l -> l.startsWith("IOMMU Group "))
                .map(l -> Integer.parseInt(l.substring(12, l.length() - 1))).toList();
        assertThat(order).isSorted().hasSize(k.groups().size());
        assertThat(GroupListing.lspciAddress(dev.iommufx.model.Bdf.parse("0001:02:00.0"))).isEqualTo("0001:02:00.0");
        assertThat(GroupListing.className(0x0b40)).isEqualTo("Co-processor");
        assertThat(GroupListing.className(0x0807)).isEqualTo("Generic system peripheral");
        assertThat(GroupListing.className(0x7700)).isEqualTo("Class");
    }

    @Test
    void aNameWithLineBreaksAndControlsStaysOnItsLine() throws Exception {
        Kernel k = Kernel.boot(MachineFiles.load(MachineFiles.locate("bundled:workstation.json")).topology());
        Topology t = k.topology();
        List<DeviceSpec> devices = new ArrayList<>();
        for (DeviceSpec d : t.devices()) {
            devices.add(!d.id().equals("0000:01:00.0") ? d : new DeviceSpec(d.id(), d.bus(), d.parent(), d.vendor(),
                    d.device(), d.pciClass(), d.compatible(), "evil\nIOMMU Group 99:\n\t05:00.0 x [0300]: y [1111:2222]\u001b[2J",
                    d.driver(), d.group(), d.multifunction(), d.pcieType(), d.acs(), d.driverOverride(),
                    d.requiredDomain(), d.quirks(), d.physfn()));
        }
        Kernel hostile = Kernel.boot(new Topology(t.name(), t.description(), t.defaultDomainType(), devices,
                t.drivers(), t.groups()));
        String listing = GroupListing.of(hostile);
        assertThat(listing).doesNotContain("\u001b").doesNotContain("\nIOMMU Group 99:");
        assertThat(groups(imported(listing))).isEqualTo(groups(hostile));
    }
}
