package dev.iommufx.boot;

import dev.iommufx.engine.Device;
import dev.iommufx.engine.Profile;
import dev.iommufx.engine.boot.BootReport;
import dev.iommufx.engine.boot.BootSimulation;
import dev.iommufx.io.FormatException;
import dev.iommufx.io.boot.BootConfigReader;
import dev.iommufx.io.boot.ConfigFiles;
import dev.iommufx.model.DeviceSpec;
import dev.iommufx.model.DriverSpec;
import dev.iommufx.model.Topology;
import dev.iommufx.model.boot.Initramfs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A proposed boot configuration checked the only way that tells: the machine booted with it (kernel-model §2.7).
 * It passes when every target ends on vfio-pci (or on no driver, when that is what the plan wants) and every other
 * device ends on the driver the machine gives it now, so the host keeps what it needs. With initramfs-tools the
 * boot runs twice, with and without the display drivers in the image, since iommufx cannot know which the
 * machine's image holds.
 */
public final class PersistCheck {
    /** The outcome: the problems found (none: it works), and the report of the boot that was checked last. */
    public record Result(List<String> problems, BootReport report) {
        /** The machine's own files could not be read: nothing was booted. */
        static Result unreadable(FormatException e) {
            return new Result(List.of("the machine's configuration cannot be read: " + e.getMessage()), null);
        }

        public boolean works() {
            return problems.isEmpty();
        }
    }

    private PersistCheck() {
    }

    /**
     * @param existing a directory holding the machine's own configuration files, which the proposal is added to
     *                 (null: none known)
     */
    public static Result check(Topology machine, Profile profile, List<PersistConfig.Target> targets,
                               PersistConfig.Proposal proposal, Path existing) {
        try {
            return checked(machine, profile, targets, proposal, existing);
        } catch (FormatException e) {
            return Result.unreadable(e);
        }
    }

    private static Result checked(Topology machine, Profile profile, List<PersistConfig.Target> targets,
                                  PersistConfig.Proposal proposal, Path existing) throws FormatException {
        Map<String, String> files = new HashMap<>(proposal.asFiles());
        if (existing != null) {
            BootConfigReader.read(existing); // a directory of the machine's files, each readable
        }
        ConfigFiles base = existing == null ? ConfigFiles.inMemory(Map.of()) : ConfigFiles.of(existing);
        Result plain = once(machine, profile, targets, ConfigFiles.overlay(base, files));
        if (!plain.works() || proposal.generator() != Initramfs.Generator.INITRAMFS_TOOLS
                || proposal.style() == PersistConfig.Style.DRIVERCTL) {
            return plain;
        }
        files.put("etc/initramfs-tools/conf.d/zz-iommufx-check", "FRAMEBUFFER=y\n");
        Result withDisplay = once(machine, profile, targets, ConfigFiles.overlay(base, files));
        List<String> problems = new ArrayList<>();
        withDisplay.problems().forEach(p -> problems.add("with the display drivers in the initramfs: " + p));
        return new Result(problems, withDisplay.report());
    }

    private static Result once(Topology machine, Profile profile, List<PersistConfig.Target> targets,
                               ConfigFiles files) throws FormatException {
        BootReport r = BootSimulation.boot(machine, profile, BootConfigReader.read(files));
        List<String> problems = new ArrayList<>();
        Map<String, PersistConfig.Target> byAddress = new HashMap<>();
        targets.forEach(t -> byAddress.put(t.address(), t));
        for (DeviceSpec spec : machine.devices()) {
            Device d = r.kernel().device(spec.id());
            if (d == null || !d.isPresent()) {
                continue;
            }
            String now = d.driver() == null ? null : d.driver().name();
            PersistConfig.Target t = byAddress.get(spec.id());
            String wanted = t == null ? spec.driver() : t.toVfio() ? "vfio-pci" : null;
            if (t == null && DriverSpec.isUnknown(wanted)) {
                // the source did not say which driver the host uses: any but a VFIO driver is the host's
                if (d.driver() != null && d.driver().spec().vfio()) {
                    problems.add(spec.id() + " ends on " + now + ", a driver the host does not use for it");
                }
                continue;
            }
            if (wanted == null ? now != null : !wanted.equals(now)) {
                problems.add(spec.id() + " ends on " + (now == null ? "no driver" : now) + ", not "
                        + (wanted == null ? "without a driver" : wanted) + (t == null ? " (the host needs it)" : ""));
            }
        }
        return new Result(List.copyOf(problems), r);
    }
}
