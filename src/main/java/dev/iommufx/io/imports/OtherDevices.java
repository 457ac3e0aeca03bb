package dev.iommufx.io.imports;

import dev.iommufx.model.BusType;

/**
 * IOMMU group members that are not PCI functions, as listings name them: platform devices of a devicetree or ACPI
 * machine ({@code ff8f0000.vop}, {@code Fixed MDIO bus.0}, {@code alarmtimer.2.auto}). Their sysfs name is all a
 * listing gives; the bus is the platform bus unless the source names another.
 */
final class OtherDevices {
    /** The longest name kept (a sysfs name is one path component: 255 bytes). */
    static final int NAME_LENGTH = 255;

    private OtherDevices() {
    }

    /** A name sysfs could show: one path component, no control characters. */
    static boolean plausibleName(String name) {
        if (name == null || name.isEmpty() || name.length() > NAME_LENGTH || name.equals(".") || name.equals("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || Character.isISOControl(c)) {
                return false;
            }
        }
        return true;
    }

    /** The bus a subsystem word or a sysfs path segment names ({@code amba}, {@code fsl-mc}); platform otherwise. */
    static BusType bus(String word) {
        if (word == null) {
            return BusType.PLATFORM;
        }
        return switch (word) {
            case "amba" -> BusType.AMBA;
            case "fsl-mc", "fsl_mc" -> BusType.FSL_MC;
            default -> BusType.PLATFORM;
        };
    }
}
