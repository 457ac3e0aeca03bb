package dev.iommufx.engine;

import static dev.iommufx.engine.SpecMachines.NIC_A;
import static dev.iommufx.engine.SpecMachines.NIC_B;
import static dev.iommufx.engine.SpecMachines.SINGLE_NIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The one event channel and its guarantees: typed events in a fixed order, subscribers choosing their kinds, no
 * operation started from a listener, a failing listener contained and reported, a revision counting state changes.
 */
class KernelEventsTest {
    private final Kernel k = Kernel.boot(SpecMachines.spec());
    private final List<KernelEvent> heard = new ArrayList<>();
    private final List<KernelEvents.ListenerFailure> failures = new ArrayList<>();

    KernelEventsTest() {
        k.events().onListenerFailure(failures::add);
    }

    @Test
    void anOperationIsAnnouncedThenItsStructureThenTheHistory() {
        k.events().subscribe(KernelEvent.class, heard::add);
        OpResult remove = k.remove(SINGLE_NIC);
        assertThat(heard).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("OperationDone", "StructureChanged", "HistoryChanged");
        assertThat(((KernelEvent.OperationDone) heard.get(0)).result()).isSameAs(remove);
        KernelEvent.StructureChanged s = (KernelEvent.StructureChanged) heard.get(1);
        assertThat(s.devicesRemoved()).containsExactly(SINGLE_NIC);
        assertThat(s.groupsRemoved()).containsExactly(12);
        assertThat(s.devicesAdded()).isEmpty();
        assertThat(heard.get(2)).isEqualTo(new KernelEvent.HistoryChanged(true, false, 1));
    }

    @Test
    void anUndoneRemovalAddsWhatTheRemovalTookAway() {
        k.remove(SINGLE_NIC);
        k.events().subscribe(KernelEvent.StructureChanged.class, heard::add);
        k.undo();
        assertThat(heard).singleElement().isEqualTo(new KernelEvent.StructureChanged(
                java.util.Set.of(SINGLE_NIC), java.util.Set.of(), java.util.Set.of(12), java.util.Set.of()));
    }

    @Test
    void subscribersHearOnlyTheKindsTheyChose() {
        List<KernelEvent.HistoryChanged> history = new ArrayList<>();
        List<KernelEvent.OperationRefused> refusals = new ArrayList<>();
        k.events().subscribe(KernelEvent.HistoryChanged.class, history::add);
        k.events().subscribe(KernelEvent.OperationRefused.class, refusals::add);
        OpResult refused = k.bind(NIC_A, "vfio-pci"); // ENODEV: vfio-pci does not match without driver_override
        assertThat(refusals).extracting(KernelEvent.OperationRefused::result).containsExactly(refused);
        assertThat(history).as("a refused operation leaves the history alone").isEmpty();
        k.unbind(NIC_A);
        k.unbind(NIC_B);
        k.undo();
        k.redo();
        assertThat(history).containsExactly(new KernelEvent.HistoryChanged(true, false, 1),
                new KernelEvent.HistoryChanged(true, false, 2), new KernelEvent.HistoryChanged(true, true, 1),
                new KernelEvent.HistoryChanged(true, false, 2));
        assertThat(refusals).hasSize(1);
    }

    @Test
    void anOperationStartedFromAListenerIsRefusedLoudlyAndChangesNothing() {
        List<Snapshot> seenByLater = new ArrayList<>();
        k.events().subscribe(KernelEvent.OperationDone.class, e -> k.unbind(NIC_B));
        k.events().subscribe(KernelEvent.OperationDone.class, e -> seenByLater.add(Snapshot.of(k)));
        k.unbind(NIC_A);
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.error()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot start 'unbind " + NIC_B + "'")
                    .hasMessageContaining("while kernel events are being delivered");
            assertThat(f.event()).isInstanceOf(KernelEvent.OperationDone.class);
        });
        assertThat(k.device(NIC_B).driver().name()).as("the refused unbind did not run").isEqualTo("e1000e");
        assertThat(seenByLater).as("the next listener still heard the event").hasSize(1);
        assertThat(seenByLater.get(0)).isEqualTo(Snapshot.of(k));
        assertThat(k.historySize()).isEqualTo(1);
    }

    @Test
    void undoAndRedoFromAListenerAreRefusedToo() {
        k.events().subscribe(KernelEvent.HistoryChanged.class, e -> k.undo());
        k.events().subscribe(KernelEvent.Undone.class, e -> k.redo());
        k.unbind(NIC_A);
        assertThat(failures).singleElement().extracting(f -> f.error().getMessage()).asString()
                .startsWith("cannot undo while kernel events are being delivered");
        assertThat(k.device(NIC_A).driver()).isNull();
        failures.clear();
        k.undo(); // from the test, not a listener: allowed; its Undone listener tries a redo
        assertThat(k.device(NIC_A).driver().name()).isEqualTo("e1000e");
        assertThat(failures).extracting(f -> f.error().getMessage()).anySatisfy(m -> assertThat(m)
                .startsWith("cannot redo while kernel events are being delivered"));
        assertThat(k.canRedo()).isTrue();
    }

    @Test
    void aFailingListenerIsContainedAndTheOthersStillHear() {
        Kernel quiet = Kernel.boot(SpecMachines.spec());
        quiet.unbind(NIC_A);
        RuntimeException boom = new IllegalArgumentException("boom");
        Consumer<KernelEvent> failing = e -> {
            throw boom;
        };
        k.events().subscribe(KernelEvent.class, failing);
        k.events().subscribe(KernelEvent.class, heard::add);
        OpResult r = k.unbind(NIC_A);
        assertThat(r.ok()).isTrue();
        assertThat(heard).hasSize(2); // OperationDone and HistoryChanged
        assertThat(failures).hasSize(2).allSatisfy(f -> {
            assertThat(f.error()).isSameAs(boom);
            assertThat(f.listener()).isSameAs(failing);
        });
        assertThat(Snapshot.of(k)).as("the state is the operation's, whatever the listener did")
                .isEqualTo(Snapshot.of(quiet));
        assertThat(k.canUndo()).isTrue();
        assertThat(k.unbind(NIC_B).ok()).as("the next operation runs normally").isTrue();
    }

    @Test
    void byDefaultAListenersFailureIsPrintedOnce() {
        Kernel fresh = Kernel.boot(SpecMachines.spec());
        fresh.events().subscribe(KernelEvent.class, e -> {
            throw new IllegalStateException("listener bug");
        });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream was = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            fresh.unbind(NIC_A);
            fresh.unbind(NIC_B);
        } finally {
            System.setErr(was);
        }
        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("a listener of OperationDone failed").contains("listener bug");
        assertThat(printed.split("listener bug", -1)).as("four failures, one report").hasSize(2);
        assertThat(fresh.device(NIC_B).driver()).isNull();
    }

    @Test
    void theRevisionCountsEveryChangeOfState() {
        assertThat(k.revision()).isZero();
        k.bind(NIC_A, "vfio-pci");
        assertThat(k.revision()).as("refused: no change").isZero();
        k.driversProbe(NIC_A);
        assertThat(k.revision()).as("ok without a change").isZero();
        k.unbind(NIC_A);
        assertThat(k.revision()).isEqualTo(1);
        k.undo();
        k.redo();
        assertThat(k.revision()).isEqualTo(3);
        assertThat(k.undo()).isNotNull();
        assertThat(k.undo()).as("nothing left to undo").isNull();
        assertThat(k.revision()).isEqualTo(4);
    }

    @Test
    void machinesSharingAChannelAreHeardByOneSubscription() {
        KernelEvents channel = new KernelEvents();
        channel.onListenerFailure(failures::add);
        Kernel first = Kernel.boot(SpecMachines.spec(), 10, Profile.DEFAULT, channel);
        channel.subscribe(KernelEvent.class, heard::add);
        first.unbind(NIC_A);
        Kernel second = Kernel.boot(SpecMachines.spec(), 10, Profile.NEWEST, channel);
        channel.machineReplaced(first, second);
        second.unbind(NIC_B);
        assertThat(heard).extracting(e -> e.getClass().getSimpleName()).containsExactly("OperationDone",
                "HistoryChanged", "MachineReplaced", "OperationDone", "HistoryChanged");
        assertThat(heard.get(2)).isEqualTo(new KernelEvent.MachineReplaced(first, second));
        assertThat(second.events()).isSameAs(channel);
    }

    @Test
    void theMachineCannotBeReplacedFromAListener() {
        Kernel other = Kernel.boot(SpecMachines.spec());
        k.events().subscribe(KernelEvent.OperationDone.class, e -> k.events().machineReplaced(k, other));
        k.unbind(NIC_A);
        assertThat(failures).singleElement().extracting(f -> f.error().getMessage()).asString()
                .startsWith("cannot replace the machine while kernel events are being delivered");
        assertThatThrownBy(() -> new KernelEvent.MachineReplaced(k, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aListenerMayUnsubscribeWhileHearing() {
        List<KernelEvent> once = new ArrayList<>();
        Consumer<KernelEvent> listener = new Consumer<>() {
            @Override
            public void accept(KernelEvent e) {
                once.add(e);
                k.events().unsubscribe(this);
            }
        };
        k.events().subscribe(KernelEvent.class, listener);
        k.unbind(NIC_A);
        k.unbind(NIC_B);
        assertThat(once).singleElement().isInstanceOf(KernelEvent.OperationDone.class);
        assertThat(failures).isEmpty();
    }
}
