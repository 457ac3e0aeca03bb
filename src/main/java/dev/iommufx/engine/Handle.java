package dev.iommufx.engine;

/**
 * A user-space file descriptor a scenario opened, under the name the scenario gave it.
 *
 * @param container set for an open {@code /dev/vfio/vfio}
 * @param group     set for an open {@code /dev/vfio/<n>}
 * @param device    set for a VFIO device fd (with {@code group}, the group it was obtained from)
 */
public record Handle(String name, VfioContainer container, VfioGroup group, Device device) {
    public String kind() {
        if (container != null) {
            return "container";
        }
        return device != null ? "device" : "group";
    }

    /** What the handle refers to: "/dev/vfio/vfio", "/dev/vfio/3", "0000:01:00.0". */
    public String target() {
        if (container != null) {
            return "/dev/vfio/vfio";
        }
        return device != null ? device.id() : group.toString();
    }
}
