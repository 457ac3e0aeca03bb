package dev.iommufx.engine;

import dev.iommufx.model.DeviceSpec;

/**
 * One dynamic ID of a PCI driver ({@code struct pci_dynid}): an entry added after the driver registered, by
 * {@code new_id} or by vfio-pci's {@code ids=} option. Its fields are those of {@code struct pci_device_id}; the
 * subsystem IDs are wildcards ({@code PCI_ANY_ID}, -1 here) unless given, and a class mask of 0 matches any class.
 *
 * @param vendor    PCI vendor ID
 * @param device    PCI device ID
 * @param subvendor subsystem vendor, or -1 for any
 * @param subdevice subsystem device, or -1 for any
 * @param pciClass  class code to compare under {@code classMask}
 * @param classMask which bits of the class code must equal {@code pciClass}
 */
public record PciDynId(int vendor, int device, int subvendor, int subdevice, int pciClass, int classMask) {
    /** drivers/pci/pci-driver.c: pci_match_one_device() (6.1), for the fields a topology knows of a device. */
    public boolean matches(DeviceSpec dev) {
        // the model does not know subsystem IDs, so an entry that names them matches no device it describes
        return vendor == dev.vendor() && device == dev.device() && subvendor == -1 && subdevice == -1
                && ((pciClass ^ dev.pciClass()) & classMask) == 0;
    }

    @Override
    public String toString() {
        return String.format("%04x:%04x", vendor, device);
    }
}
