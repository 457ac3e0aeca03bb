package dev.iommufx.ui.viewmodel;

/** What the user selected: a device, a group, a driver or a VM. */
public record Selection(Kind kind, String id) {
    public enum Kind { DEVICE, GROUP, DRIVER, VM }

    public static Selection device(String id) {
        return new Selection(Kind.DEVICE, id);
    }

    public static Selection group(int id) {
        return new Selection(Kind.GROUP, String.valueOf(id));
    }

    public static Selection driver(String name) {
        return new Selection(Kind.DRIVER, name);
    }

    public static Selection vm(String name) {
        return new Selection(Kind.VM, name);
    }
}
