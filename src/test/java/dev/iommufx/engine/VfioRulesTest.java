package dev.iommufx.engine;

import static dev.iommufx.engine.SpecMachines.NIC_A;
import static dev.iommufx.engine.SpecMachines.NIC_B;
import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.trace.Frame;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VFIO's group, container and device files (kernel-model §4 and §9 S1, 6.1). */
class VfioRulesTest {
    private final Kernel k = Kernel.boot(SpecMachines.spec());

    /** §9 S1 steps 1-4: A to vfio-pci, container and group open. */
    private void toVfioAndOpen() {
        k.driverOverride(NIC_A, "vfio-pci");
        k.unbind(NIC_A);
        k.bind(NIC_A, "vfio-pci");
        k.vfioOpenContainer("C");
        assertThat(k.vfioOpenGroup(7, "G").ok()).isTrue();
    }

    @Test
    void theCanonicalFlowOfS1() {
        // §9 S1 steps 1-17, every result and state from the kernel model's table
        toVfioAndOpen();
        assertThat(GroupState.code(k.group(7))).isEqualTo("K(1)");
        assertThat(k.vfioGroupStatus("G").value()).isEqualTo(List.of());                       // 5
        assertThat(k.vfioSetContainer("G", "C").errno()).isEqualTo(Errno.EPERM);               // 6
        k.unbind(NIC_B);                                                                         // 7
        assertThat(GroupState.code(k.group(7))).isEqualTo("U0");
        assertThat(k.vfioGroupStatus("G").value()).isEqualTo(List.of("VIABLE"));               // 8
        assertThat(k.vfioSetContainer("G", "C").ok()).isTrue();                                // 9
        assertThat(GroupState.code(k.group(7))).isEqualTo("UB");
        assertThat(k.vfioGroupStatus("G").value()).isEqualTo(List.of("VIABLE", "CONTAINER_SET")); // 10
        assertThat(k.bind(NIC_B, "e1000e").errno()).isEqualTo(Errno.EBUSY);                    // 11
        assertThat(k.vfioSetIommu("C", "type1v2").ok()).isTrue();                              // 12
        assertThat(GroupState.code(k.group(7))).isEqualTo("UU");
        assertThat(k.vfioGetDeviceFd("G", NIC_A, "D").ok()).isTrue();                          // 13
        assertThat(k.vfioUnsetContainer("G").errno()).isEqualTo(Errno.EBUSY);                  // 14
        k.close("D");
        assertThat(k.vfioUnsetContainer("G").ok()).isTrue();                                   // 15
        assertThat(GroupState.code(k.group(7))).isEqualTo("U0");
        assertThat(k.bind(NIC_B, "e1000e").ok()).isTrue();                                     // 16
        assertThat(GroupState.code(k.group(7))).isEqualTo("K(1)");
        assertThat(k.vfioGroupStatus("G").value()).isEqualTo(List.of());                       // 17
        assertThat(Invariants.check(k)).isEmpty();
    }

    @Test
    void aGroupNodeExistsOnlyWhileAVfioDriverHoldsADevice() {
        // §4.1: /dev/vfio/N is created by the first VFIO device of the group
        assertThat(k.vfioOpenGroup(7, "G").errno()).isEqualTo(Errno.ENOENT);
        toVfioAndOpen();
        // §4.2 and fixture T1-rootports-claim step 8: a second open -> EBUSY
        assertThat(k.vfioOpenGroup(7, "G2").errno()).isEqualTo(Errno.EBUSY);
    }

    @Test
    void aSecondSetContainerIsEinval() {
        // §4.4 and fixture T1-rootports-claim step 13
        toVfioAndOpen();
        k.unbind(NIC_B);
        k.vfioSetContainer("G", "C");
        assertThat(k.vfioSetContainer("G", "C").errno()).isEqualTo(Errno.EINVAL);
    }

    @Test
    void aDeviceFdNeedsABackendAndAVfioDevice() {
        // §4.6: -EINVAL without a backend; fixture T2-pcibridge-stub step 14: a pci-stub device -> ENODEV
        toVfioAndOpen();
        k.unbind(NIC_B);
        k.driverOverride(NIC_B, "pci-stub");
        k.bind(NIC_B, "pci-stub");
        k.vfioSetContainer("G", "C");
        assertThat(k.vfioGetDeviceFd("G", NIC_A, "D").errno()).isEqualTo(Errno.EINVAL);
        k.vfioSetIommu("C", "type1v2");
        assertThat(k.vfioGetDeviceFd("G", NIC_B, "DB").errno()).isEqualTo(Errno.ENODEV);
        assertThat(k.vfioGetDeviceFd("G", NIC_A, "D").ok()).isTrue();
    }

    @Test
    void aGroupAddedToAContainerWithABackendIsAttachedAtOnce() {
        // §4.4: "UU (container already has a type1 domain, the group is attached immediately)"
        toVfioAndOpen();
        k.unbind(NIC_B);
        k.vfioSetContainer("G", "C");
        k.vfioSetIommu("C", "type1v2");
        k.unbind(SpecMachines.SINGLE_NIC);
        k.driverOverride(SpecMachines.SINGLE_NIC, "vfio-pci");
        k.bind(SpecMachines.SINGLE_NIC, "vfio-pci");
        k.vfioOpenGroup(12, "G12");
        assertThat(k.vfioSetContainer("G12", "C").ok()).isTrue();
        assertThat(k.group(12).state()).isEqualTo(GroupState.USER_CLAIMED);
        assertThat(k.group(12).domain()).isSameAs(k.group(7).domain());
    }

    @Test
    void closingTheGroupWhileADeviceIsOpenReleasesAfterTheDevice() {
        // §4.7: device fds hold a reference on the group file; release runs after the last one closes
        toVfioAndOpen();
        k.unbind(NIC_B);
        k.vfioSetContainer("G", "C");
        k.vfioSetIommu("C", "type1v2");
        k.vfioGetDeviceFd("G", NIC_A, "D");
        assertThat(k.close("G").ok()).isTrue();
        assertThat(k.group(7).state()).isEqualTo(GroupState.USER_CLAIMED);
        k.close("D");
        assertThat(k.group(7).state()).isEqualTo(GroupState.DEFAULT_DOMAIN);
    }

    @Test
    void unbindingVfioPciWhileTheDeviceIsOpenIsPendingUntilItCloses() {
        // fixture T3-multifunction-release steps 11-16: the unbind blocks ("blocked until released by
        // user"), sysfs shows no driver at once, the sibling's kernel driver is refused (EBUSY), and closing
        // the device fd completes the unbind: /dev/vfio/3 disappears and the group fd answers ENODEV
        toVfioAndOpen();
        k.unbind(NIC_B);
        k.vfioSetContainer("G", "C");
        k.vfioSetIommu("C", "type1v2");
        k.vfioGetDeviceFd("G", NIC_A, "D");
        OpResult unbind = k.unbind(NIC_A);
        assertThat(unbind.pending()).isTrue();
        assertThat(unbind.log()).anySatisfy(l -> assertThat(l).contains("blocked until released by user"));
        assertThat(k.device(NIC_A).sysfsDriver()).isNull();
        assertThat(k.bind(NIC_B, "e1000e").errno()).isEqualTo(Errno.EBUSY);
        OpResult close = k.close("D");
        assertThat(close.frames()).extracting(Frame::function).contains("vfio_device_remove_group",
                "iommu_group_release_dma_owner");
        assertThat(k.device(NIC_A).driver()).isNull();
        assertThat(k.group(7).vfioGroup()).isNull();
        assertThat(k.vfioGroupStatus("G").errno()).isEqualTo(Errno.ENODEV);
        assertThat(k.group(7).state()).isEqualTo(GroupState.DEFAULT_DOMAIN);
    }

    @Test
    void closingAnUnknownHandleIsEbadf() {
        // fixture T1-rootports-stub step 24: close of a handle never opened -> EBADF
        assertThat(k.close("DB").errno()).isEqualTo(Errno.EBADF);
    }

    @Test
    void vfioPciRefusesAPhysicalFunctionWithVirtualFunctions() throws Exception {
        // §4.1: "vfio-pci probe itself additionally fails ... -EBUSY for a PF with VFs enabled"
        Kernel sriov = Kernel.boot(dev.iommufx.io.TopologyReader.read(java.nio.file.Path.of("topologies/sriov-nic.json")));
        String pf = "0000:03:00.0";
        assertThat(sriov.sriovNumvfs(pf, 8).ok()).isTrue(); // kernel-model §6.5: i40e enables eight VFs
        sriov.unbind(pf);
        sriov.driverOverride(pf, "vfio-pci");
        OpResult r = sriov.bind(pf, "vfio-pci");
        assertThat(r.errno()).isEqualTo(Errno.EBUSY);
        assertThat(r.log()).containsExactly("vfio-pci " + pf + ": Cannot bind to PF with SR-IOV enabled");
        // each VF sits alone in its group (the root port above has ACS) and can be passed through by itself
        assertThat(sriov.device("0000:03:02.5").group().devices()).hasSize(1);
    }
}
