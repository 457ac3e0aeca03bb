package dev.iommufx.model;

import java.util.List;

/**
 * What a source says about one device beyond its place in the machine: how it can be reset, whether the firmware
 * booted on it, how many SR-IOV virtual functions are enabled. Every field is null where the source does not tell.
 *
 * @param resetMethods the reset methods the kernel found, in the order it tries them ({@code reset_method}:
 *                     {@code device_specific}, {@code acpi}, {@code flr}, {@code af_flr}, {@code pm}, {@code bus});
 *                     empty: the device has none; null: not known which
 * @param resetFrom    where {@code resetMethods} or {@code resettable} come from
 * @param resettable   the device has some reset method: the sysfs {@code reset} file exists (what a listing's
 *                     {@code [R]} or {@code [RESET]} marks); null when not known
 * @param bootVga      {@code boot_vga}: the firmware's console device (the kernel's "setting as boot VGA device")
 * @param enabledVfs   {@code sriov_numvfs}: the SR-IOV virtual functions enabled, for a physical function
 */
public record DeviceFacts(List<String> resetMethods, ResetSource resetFrom, Boolean resettable, Boolean bootVga,
                          Integer enabledVfs) {
    /** Nothing known. */
    public static final DeviceFacts NONE = new DeviceFacts(null, null, null, null, null);

    /** Where what is known about a device's reset comes from. */
    public enum ResetSource {
        /** sysfs {@code reset_method} (Linux 5.15 and later): the methods the kernel probed. */
        RESET_METHOD("reset_method"),
        /**
         * The configuration space: FLR in the PCIe Device Capabilities, AF FLR, PM without No_Soft_Reset; the
         * device-specific and ACPI methods cannot be seen there, and a bus reset depends on the device's place.
         */
        CONFIG_SPACE("config"),
        /** Only whether the sysfs {@code reset} file exists (some method, not which). */
        RESET_FILE("reset file");

        private final String key;

        ResetSource(String key) {
            this.key = key;
        }

        /** The word the topology's {@code facts} and the doctor's JSON use. */
        public String key() {
            return key;
        }

        public static ResetSource fromKey(String key) {
            for (ResetSource s : values()) {
                if (s.key.equals(key)) {
                    return s;
                }
            }
            return null;
        }
    }

    public DeviceFacts {
        resetMethods = resetMethods == null ? null : List.copyOf(resetMethods);
        if (resetMethods != null) {
            resettable = !resetMethods.isEmpty();
        }
        if (enabledVfs != null && (enabledVfs < 0 || enabledVfs > 0xffff)) {
            throw new IllegalArgumentException("enabled VFs out of range: " + enabledVfs);
        }
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    public DeviceFacts withReset(List<String> methods, ResetSource from) {
        return new DeviceFacts(methods, from, null, bootVga, enabledVfs);
    }

    /** Only whether some reset method exists (a listing's {@code [R]}). */
    public DeviceFacts withResettable(boolean some) {
        return new DeviceFacts(null, ResetSource.RESET_FILE, some, bootVga, enabledVfs);
    }

    public DeviceFacts withBootVga(Boolean boot) {
        return new DeviceFacts(resetMethods, resetFrom, resettable, boot, enabledVfs);
    }

    public DeviceFacts withEnabledVfs(Integer vfs) {
        return new DeviceFacts(resetMethods, resetFrom, resettable, bootVga, vfs);
    }
}
