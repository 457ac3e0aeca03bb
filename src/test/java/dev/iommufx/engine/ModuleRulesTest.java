package dev.iommufx.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.trace.Frame;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Loading and unloading driver modules (kernel-model §2.6, Linux 6.1). */
class ModuleRulesTest {
    private static final String GPU = "0000:01:00.0";
    private static final String AUDIO = "0000:01:00.1";

    /** The workstation booted before anyone loaded vfio-pci: the module is there, not loaded. */
    private static Kernel withoutVfio() throws Exception {
        Topology t = TopologyReader.read(Path.of("topologies/workstation.json"));
        List<DriverSpec> drivers = t.drivers().stream()
                .map(d -> d.name().equals("vfio-pci") ? d.withLoaded(false) : d).toList();
        return Kernel.boot(new Topology(t.name(), t.description(), t.defaultDomainType(), t.iommuDetach(),
                t.devices(), drivers, t.groups()));
    }

    @Test
    void aDriverWhoseModuleIsNotLoadedHasNoBindFile() throws Exception {
        Kernel k = withoutVfio();
        k.unbind(GPU);
        OpResult r = k.bind(GPU, "vfio-pci");
        assertThat(r.errno()).isEqualTo(Errno.ENOENT);
        assertThat(k.modules()).containsEntry("vfio_pci", false).containsEntry("vfio", false);
        assertThat(k.vfioOpenContainer("C").errno()).as("no /dev/vfio/vfio without the vfio module")
                .isEqualTo(Errno.ENOENT);
    }

    @Test
    void loadingVfioPciBindsTheDevicesWhoseOverrideNamesIt() throws Exception {
        // §2.6 and the T7 record step 9: the driver registers, driver_attach() binds the overridden, unbound GPU
        Kernel k = withoutVfio();
        k.driverOverride(GPU, "vfio-pci");
        k.unbind(GPU);
        OpResult r = k.modprobe("vfio-pci", null);
        assertThat(r.ok()).isTrue();
        assertThat(k.device(GPU).driver().name()).isEqualTo("vfio-pci");
        assertThat(k.device(AUDIO).driver().name()).isEqualTo("snd_hda_intel");
        assertThat(k.group(8).vfioGroup()).as("/dev/vfio/8").isNotNull();
        assertThat(k.modules()).containsEntry("vfio_pci", true).containsEntry("vfio", true)
                .containsEntry("vfio_iommu_type1", true);
        assertThat(r.frames()).extracting(Frame::function).containsSubsequence("modprobe", "do_init_module",
                "vfio_pci_init", "__pci_register_driver", "driver_register", "bus_add_driver", "driver_attach");
    }

    @Test
    void idsNeverTakeADeviceAnotherDriverHolds() throws Exception {
        // §2.6: vfio_pci_fill_ids() -> pci_add_dynid() -> driver_attach(), which skips bound devices
        Kernel k = withoutVfio();
        k.unbind(GPU);
        OpResult r = k.modprobe("vfio_pci", "ids=10de:2786,10de:22bc");
        assertThat(r.ok()).isTrue();
        assertThat(k.device(GPU).driver().name()).as("unbound, so the dynamic ID binds it").isEqualTo("vfio-pci");
        assertThat(k.device(AUDIO).driver().name()).as("snd_hda_intel keeps it").isEqualTo("snd_hda_intel");
        assertThat(k.driver(dev.iommufx.model.BusType.PCI, "vfio-pci").dynIds()).hasToString("[10de:2786, 10de:22bc]");
        assertThat(r.log()).contains("vfio_pci: add [10de:2786[ffffffff:ffffffff]] class 0x000000/00000000");
        // the dynamic ID stays: the audio function, once unbound and reprobed, goes to vfio-pci too
        k.unbind(AUDIO);
        k.driversProbe(AUDIO);
        assertThat(k.device(AUDIO).driver().name()).as("dynamic IDs are tried before the ID table's order matters")
                .isIn("vfio-pci", "snd_hda_intel");
    }

    @Test
    void aLoadedModuleIsNotLoadedAgainAndItsNewOptionsAreIgnored() throws Exception {
        Kernel k = Kernel.boot(TopologyReader.read(Path.of("topologies/workstation.json")));
        Snapshot before = Snapshot.of(k);
        OpResult r = k.modprobe("vfio-pci", "ids=10de:2786");
        assertThat(r.ok()).isTrue();
        assertThat(r.cause()).isNull();
        assertThat(Snapshot.of(k)).isEqualTo(before);
        assertThat(k.modprobe("no_such_module", null).errno()).isEqualTo(Errno.ENOENT);
    }

    @Test
    void unloadingVfioPciReleasesAClaimedGroupWhenNoDeviceIsOpen() throws Exception {
        // the T7 record, steps 21-28: the group fd and container stay open, the group is gone from /dev/vfio,
        // and its status answers ENODEV
        Kernel k = withoutVfio();
        for (String dev : List.of(GPU, AUDIO)) {
            k.driverOverride(dev, "vfio-pci");
            k.unbind(dev);
        }
        k.modprobe("vfio-pci", null);
        k.vfioOpenContainer("C");
        k.vfioOpenGroup(8, "G");
        assertThat(k.vfioSetContainer("G", "C").ok()).isTrue();
        assertThat(k.group(8).owner()).isNotNull();
        OpResult r = k.rmmod("vfio_pci");
        assertThat(r.ok()).isTrue();
        assertThat(k.device(GPU).driver()).isNull();
        assertThat(k.device(AUDIO).driver()).isNull();
        assertThat(k.group(8).vfioGroup()).isNull();
        assertThat(k.group(8).owner()).as("the claim went with the last VFIO device").isNull();
        assertThat(k.vfioGroupStatus("G").errno()).isEqualTo(Errno.ENODEV);
        assertThat(k.driver(dev.iommufx.model.BusType.PCI, "vfio-pci")).isNull();
        assertThat(k.modules()).containsEntry("vfio_pci", false).containsEntry("vfio", true);
    }

    @Test
    void aModuleWithAnOpenDeviceFileIsInUse() throws Exception {
        Kernel k = Kernel.boot(TopologyReader.read(Path.of("topologies/workstation.json")));
        for (String dev : List.of(GPU, AUDIO)) {
            k.driverOverride(dev, "vfio-pci");
            k.unbind(dev);
            k.driversProbe(dev);
        }
        k.vfioOpenContainer("C");
        k.vfioOpenGroup(8, "G");
        k.vfioSetContainer("G", "C");
        k.vfioSetIommu("C", "type1v2");
        k.vfioGetDeviceFd("G", GPU, "D");
        Snapshot before = Snapshot.of(k);
        OpResult r = k.rmmod("vfio-pci");
        assertThat(r.errno()).isEqualTo(Errno.EBUSY);
        assertThat(Snapshot.of(k)).as("a refusal changes nothing").isEqualTo(before);
        assertThat(k.rmmod("vfio").errno()).as("vfio_pci uses vfio").isEqualTo(Errno.EBUSY);
        assertThat(k.rmmod("vfio_iommu_type1").errno()).as("a container uses the backend").isEqualTo(Errno.EBUSY);
        assertThat(k.rmmod("pcieport").errno()).as("built in").isEqualTo(Errno.ENOENT);
    }

    @Test
    void withoutTheType1BackendSetIommuAnswersEnodev() throws Exception {
        Kernel k = Kernel.boot(TopologyReader.read(Path.of("topologies/workstation.json")));
        for (String dev : List.of(GPU, AUDIO)) {
            k.driverOverride(dev, "vfio-pci");
            k.unbind(dev);
            k.driversProbe(dev);
        }
        assertThat(k.rmmod("vfio_iommu_type1").ok()).isTrue();
        k.vfioOpenContainer("C");
        k.vfioOpenGroup(8, "G");
        k.vfioSetContainer("G", "C");
        assertThat(k.vfioSetIommu("C", "type1v2").errno()).isEqualTo(Errno.ENODEV);
        assertThat(k.modprobe("vfio_iommu_type1", null).ok()).isTrue();
        assertThat(k.vfioSetIommu("C", "type1v2").ok()).isTrue();
    }

    @Test
    void unloadingAKernelDriverGivesItsDevicesBackAndReloadingBindsThemAgain() throws Exception {
        Kernel k = Kernel.boot(TopologyReader.read(Path.of("topologies/workstation.json")));
        Snapshot before = Snapshot.of(k);
        assertThat(k.rmmod("snd_hda_intel").ok()).isTrue();
        assertThat(k.device(AUDIO).driver()).isNull();
        assertThat(k.group(8).ownerCount()).as("only nouveau counts now").isEqualTo(1);
        assertThat(k.modprobe("snd-hda-intel", null).ok()).isTrue();
        assertThat(k.device(AUDIO).driver().name()).isEqualTo("snd_hda_intel");
        assertThat(k.group(8).ownerCount()).isEqualTo(2);
        // the driver is registered again, at the bus's tail: the order of drivers changed, nothing else
        assertThat(Snapshot.of(k).devices()).isEqualTo(before.devices());
        assertThat(Snapshot.of(k).groups()).isEqualTo(before.groups());
    }

    @Test
    void undoAndRedoOfAModuleLoadAreExact() throws Exception {
        Kernel k = withoutVfio();
        k.driverOverride(GPU, "vfio-pci");
        k.unbind(GPU);
        Snapshot before = Snapshot.of(k);
        k.modprobe("vfio_pci", "ids=10de:22bc");
        Snapshot after = Snapshot.of(k);
        assertThat(after).isNotEqualTo(before);
        k.undo();
        assertThat(Snapshot.of(k)).isEqualTo(before);
        k.redo();
        assertThat(Snapshot.of(k)).isEqualTo(after);
    }
}
