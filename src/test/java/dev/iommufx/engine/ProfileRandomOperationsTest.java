package dev.iommufx.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.io.FormatException;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.model.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random operations under every kernel profile, with the operations the profiles add: iommufd cdev
 * binds, attaches and closes (newest), and binds and unbinds stepped phase by phase. After each operation:
 * a refused operation changed nothing, a successful one is undone and redone exactly, and the invariants of
 * kernel-model §8 hold as the profile states them (I1 always; I2 with per-device claims in newest; I3
 * except for the v7 series' detached claim; I5 except for v7's uncounted late-group devices, §7a).
 */
class ProfileRandomOperationsTest {
    private static final List<String> MACHINES = List.of("topologies/t3-multifunction.json",
            "topologies/t1-rootports.json", "topologies/history/no-default-domain.json",
            "topologies/history/eric-auger-qdf2400.json", "topologies/history/arm-soc-platform.json");
    private static final int OPS = Integer.getInteger("iommufx.profileRandomOps", 2_000);
    private static final List<String> BIND_PHASES = Phase.BIND_PHASES;
    private static final List<String> UNBIND_PHASES = Phase.UNBIND_PHASES;

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (Profile p : Profile.values()) {
            for (String m : MACHINES) {
                for (long seed = 1; seed <= 3; seed++) {
                    out.add(Arguments.of(p, m, seed));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} seed={2}")
    @MethodSource("runs")
    void randomOperationsKeepEveryProfileConsistent(Profile profile, String machine, long seed)
            throws FormatException {
        Topology t = TopologyReader.read(Path.of(machine));
        Kernel k = Kernel.boot(t, OPS + 1, profile); // never full: a full history would not grow
        Random rnd = new Random(seed);
        int succeeded = 0;
        java.util.Deque<String> recent = new java.util.ArrayDeque<>();
        for (int i = 0; i < OPS; i++) {
            Named op = next(rnd, k, t);
            Snapshot before = Snapshot.of(k);
            int history = k.historySize();
            OpResult r = op.action.apply(k);
            Snapshot after = Snapshot.of(k);
            recent.addLast("#" + i + " " + op.text + " -> " + r.errno().label());
            if (recent.size() > 12) {
                recent.removeFirst();
            }
            String where = profile + " " + machine + " seed " + seed + " op #" + i + " " + op.text + " -> "
                    + r.errno().label() + "\n  last operations:\n    " + String.join("\n    ", recent);
            if (k.historySize() == history) {
                assertThat(after).as(where + ": a refused or read-only operation changed the state").isEqualTo(before);
            } else {
                succeeded++;
                k.undo();
                assertThat(Snapshot.of(k)).as(where + ": undo").isEqualTo(before);
                k.redo();
                assertThat(Snapshot.of(k)).as(where + ": redo").isEqualTo(after);
            }
            assertThat(invariants(k)).as(where).isEmpty();
        }
        assertThat(succeeded).as("operations that changed something").isGreaterThan(OPS / 10);
    }

    private record Named(String text, Function<Kernel, OpResult> action) {
    }

    private static Named next(Random rnd, Kernel k, Topology t) {
        List<Device> present = k.devices().stream().filter(Device::isPresent).toList();
        Device d = present.get(rnd.nextInt(present.size()));
        String dev = d.id();
        List<String> drivers = t.drivers().stream().filter(x -> x.bus() == d.bus()).map(x -> x.name()).toList();
        String drv = drivers.get(rnd.nextInt(drivers.size()));
        int group = d.group() != null ? d.group().id() : rnd.nextInt(8);
        String ctx = rnd.nextBoolean() ? "X" : "Y";
        return switch (rnd.nextInt(16)) {
            case 0, 1 -> new Named("move " + dev + " " + drv, kk -> new UserActions(kk).moveToDriver(dev, drv));
            case 2 -> new Named("bind " + dev + " " + drv, kk -> kk.bind(dev, drv));
            case 3 -> new Named("unbind " + dev, kk -> kk.unbind(dev));
            case 4 -> new Named("override " + dev + " " + drv, kk -> kk.driverOverride(dev, drv));
            case 5 -> new Named("iommufd_bind " + dev + " " + ctx, kk -> kk.iommufdBind(dev, ctx));
            case 6 -> {
                String hwpt = rnd.nextBoolean() ? "h1" : "h2";
                yield new Named("iommufd_attach " + dev + " " + hwpt, kk -> kk.iommufdAttach(dev, hwpt));
            }
            case 7 -> new Named("iommufd_unbind " + dev, kk -> kk.iommufdUnbind(dev));
            case 8, 9 -> {
                String phase = BIND_PHASES.get(rnd.nextInt(3));
                yield new Named("bind_phase " + dev + " " + drv + " " + phase, kk -> kk.bindPhase(dev, drv, phase));
            }
            case 10, 11 -> {
                String phase = UNBIND_PHASES.get(rnd.nextInt(3));
                yield new Named("unbind_phase " + dev + " " + phase, kk -> kk.unbindPhase(dev, phase));
            }
            case 12 -> new Named("open container + group " + group, kk -> {
                if (!kk.handles().containsKey("C")) {
                    return kk.vfioOpenContainer("C");
                }
                return kk.vfioOpenGroup(group, "G" + group);
            });
            case 13 -> new Named("set_container G" + group, kk -> kk.vfioSetContainer("G" + group, "C"));
            // as a real kernel driver would: release only what it claimed (RandomOperations.claimOrRelease)
            case 14 -> new Named("claim/release " + group, kk -> kk.group(group) != null
                    && "kdrv".equals(kk.group(group).owner()) ? kk.releaseDmaOwner(group) : kk.claimDmaOwner(group, "kdrv"));
            default -> new Named("close G" + group, kk -> kk.close("G" + group));
        };
    }

    /** §8 as each profile states it; a list of what is broken. */
    static List<String> invariants(Kernel k) {
        List<String> bad = new ArrayList<>();
        for (IommuGroup g : k.groups()) {
            int users = 0;
            boolean late = false;
            int claimedDevices = 0;
            for (Device d : g.devices()) {
                users += countsAsDmaApiUser(d) ? 1 : 0;
                late |= d.spec().groupAtDmaConfigure();
                claimedDevices += Objects.equals(d.iommufdContext(), g.owner()) ? 1 : 0;
            }
            if (g.owner() != null) {
                if (users > 0 && !(late && k.profile() == Profile.V7_SERIES)) { // v7's hole (§7a step 4)
                    bad.add("I1: group " + g.id() + " is user-owned with " + users + " DMA-API user(s)");
                }
                boolean perDevice = claimedDevices > 0;
                if (g.ownerCount() != (perDevice ? claimedDevices : 1) && !(late && k.profile() == Profile.V7_SERIES)) {
                    bad.add("I2: group " + g.id() + " owner_cnt " + g.ownerCount() + " for " + g.owner());
                }
                if (!k.profile().has(ProfileRule.CLAIM_DETACHES) && (g.domain() == null
                        || g.domain() == g.defaultDomain())) {
                    bad.add("I3: user-owned group " + g.id() + " on " + g.domainLabel());
                }
            } else if (g.ownerCount() != users && !(late && k.profile() == Profile.V7_SERIES)) {
                bad.add("I5: group " + g.id() + " owner_cnt " + g.ownerCount() + " with " + users + " DMA-API users");
            }
        }
        return bad;
    }

    /** Counted from dma_configure until dma_cleanup: bound, or between those phases of a stepped bind/unbind. */
    private static boolean countsAsDmaApiUser(Device d) {
        if (d.driver() == null || d.driver().driverManagedDma()) {
            return false;
        }
        Phase p = d.phase();
        return p == null || p == Phase.DMA_CONFIGURED || p == Phase.REMOVED;
    }
}
