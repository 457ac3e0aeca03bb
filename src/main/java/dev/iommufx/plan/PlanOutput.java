package dev.iommufx.plan;

import dev.iommufx.boot.PersistConfig;
import dev.iommufx.engine.Profile;
import dev.iommufx.model.Topology;
import dev.iommufx.model.boot.Initramfs;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * The forms a plan can be written in: for the machine (the runtime script and the way back) and for the VM
 * manager that will own the devices. Each is plain text the user reviews; iommufx runs none of them.
 */
public enum PlanOutput {
    SCRIPT("script", "Script", "the runtime script: sysfs writes, or driverctl when installed",
            (plan, options) -> ShellScriptExport.render(plan)),
    PERSIST("persist", "Persist", "the boot configuration that makes the plan survive a reboot, checked by a "
            + "simulated boot", PersistScriptExport::render),
    REVERT("revert", "Revert", "a script that gives every moved device back to the driver it had",
            (plan, options) -> RevertScriptExport.render(plan)),
    LIBVIRT("libvirt", "libvirt", "<hostdev> elements for the VM's libvirt domain XML",
            (plan, options) -> LibvirtExport.render(plan)),
    PROXMOX("proxmox", "Proxmox", "qm set VMID --hostpciN lines for a Proxmox VE VM",
            (plan, options) -> ProxmoxExport.render(plan, options.vmid())),
    QEMU("qemu", "QEMU", "-device vfio-pci,host=... arguments for QEMU",
            (plan, options) -> QemuExport.render(plan));

    /**
     * What an output may be told besides the plan.
     *
     * @param vmid      the VM's id in its manager (null: a placeholder)
     * @param machine   the machine as described, which {@link #PERSIST} boots to check its configuration
     * @param profile   the kernel profile that boot follows
     * @param style     how {@link #PERSIST} binds the devices at boot
     * @param generator the machine's initramfs generator
     * @param existing  a directory with the machine's own boot configuration files, or null
     */
    public record Options(String vmid, Topology machine, Profile profile, PersistConfig.Style style,
                          Initramfs.Generator generator, Path existing) {
        public static final Options NONE = new Options(null, null, Profile.DEFAULT, PersistConfig.Style.MODPROBE,
                Initramfs.Generator.INITRAMFS_TOOLS, null);

        public Options {
            profile = profile == null ? Profile.DEFAULT : profile;
            style = style == null ? PersistConfig.Style.MODPROBE : style;
            generator = generator == null ? Initramfs.Generator.INITRAMFS_TOOLS : generator;
        }

        /** The options for a machine: what the persistent configuration is checked on. */
        public static Options forMachine(Topology machine, Profile profile) {
            return new Options(null, machine, profile, null, null, null);
        }
    }

    private final String key;
    private final String title;
    private final String summary;
    private final BiFunction<Plan, Options, String> renderer;

    PlanOutput(String key, String title, String summary, BiFunction<Plan, Options, String> renderer) {
        this.key = key;
        this.title = title;
        this.summary = summary;
        this.renderer = renderer;
    }

    /** The name on the command line ({@code plan --output libvirt}). */
    public String key() {
        return key;
    }

    /** The name of its tab in the plan dialog. */
    public String title() {
        return title;
    }

    public String summary() {
        return summary;
    }

    /** Whether the output is a shell script (saved executable). */
    public boolean isScript() {
        return this == SCRIPT || this == PERSIST || this == REVERT;
    }

    public String render(Plan plan, Options options) {
        return renderer.apply(plan, options);
    }

    @Override
    public String toString() {
        return key;
    }
}
