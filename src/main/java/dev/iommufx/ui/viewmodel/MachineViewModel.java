package dev.iommufx.ui.viewmodel;

import dev.iommufx.engine.Kernel;
import dev.iommufx.engine.boot.BootSimulation;
import dev.iommufx.model.boot.BootConfig;
import dev.iommufx.scenario.ScenarioStart;
import dev.iommufx.engine.KernelEvent;
import dev.iommufx.engine.KernelEvents;
import dev.iommufx.engine.OpResult;
import dev.iommufx.engine.Profile;
import dev.iommufx.engine.UserActions;
import dev.iommufx.model.Topology;
import dev.iommufx.scenario.Scenario;
import dev.iommufx.scenario.Step;
import dev.iommufx.scenario.StepKind;
import dev.iommufx.scenario.StepRunner;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * The machine on screen, and the one door from the window to the kernel: views read its items and properties and
 * call its operations; only view-models reach the engine (the architecture tests hold every view to that). Every
 * machine it shows is booted onto its one event channel, which views hear through {@link #subscribe}. Its parts,
 * each a view-model of its own: the {@link #items()} views draw, the {@link #history()}, the {@link #vms()}, the
 * scenario {@link #player()}, the {@link #recorder()}, the {@link #inspector()}, the {@link #plans()} and the
 * {@link #search()}. Used on the JavaFX thread; testable without a stage.
 */
public final class MachineViewModel {
    /** Undo history of a machine on screen: long enough for any scenario the player steps through. */
    static final int HISTORY = 1_000_000;
    /** The channel of every machine shown: subscribers stay subscribed when the machine is replaced. */
    private final KernelEvents events = new KernelEvents();
    private final ObjectProperty<Profile> profile = new SimpleObjectProperty<>(this, "profile", Profile.DEFAULT);
    private final ReadOnlyObjectWrapper<OpResult> lastResult = new ReadOnlyObjectWrapper<>(this, "lastResult");
    private final javafx.beans.property.ReadOnlyStringWrapper undone =
            new javafx.beans.property.ReadOnlyStringWrapper(this, "undone");
    private final ObjectProperty<Selection> selection = new SimpleObjectProperty<>(this, "selection");
    private final MachineItems items = new MachineItems();
    private final VmListViewModel vms = new VmListViewModel();
    private final HistoryViewModel history = new HistoryViewModel(this);
    private final PlayerViewModel player = new PlayerViewModel(this);
    private final InspectorViewModel inspector = new InspectorViewModel(this);
    private final PlanViewModel plans = new PlanViewModel(this);
    private final BootViewModel boots = new BootViewModel(this);
    private final PictureViewModel pictures = new PictureViewModel(this);
    private final ReadinessViewModel readiness = new ReadinessViewModel(this);
    private final MachineFileViewModel files = new MachineFileViewModel(this);
    private final OverviewViewModel overview = new OverviewViewModel(this);
    private final RecorderViewModel recorder;
    private final SearchViewModel search;
    private Kernel kernel;
    /** The boot configuration the machine on screen was booted with; null when booted as its topology says. */
    private BootConfig bootConfig;
    /** The machine as its file describes it (a boot simulated from it powers it on first: its kernel forgets). */
    private Topology described;
    /** Above 0 while a scenario's steps run (played, or a recording restored) rather than the user's operations. */
    private int replaying;

    /** A view-model showing no machine yet; a change of profile boots the machine shown again under it. */
    public MachineViewModel() {
        profile.addListener((o, was, now) -> rebootUnder(now));
        events.subscribe(KernelEvent.StateChanged.class, e -> {
            items.refresh(e);
            vms.follow(e);
        });
        events.subscribe(KernelEvent.StructureChanged.class, e -> items.rebuild(kernel));
        events.subscribe(KernelEvent.HistoryChanged.class, history::follow);
        recorder = new RecorderViewModel(this); // hears undo and redo after the items are refreshed
        search = new SearchViewModel(this); // finds the matches again once the items are refreshed
    }

    /** Shows a freshly booted machine (replacing the current one), following the current profile's rules. */
    public void load(Topology topology) {
        boot(topology, profile.get());
    }

    /** Shows a freshly booted machine following the given profile's rules, which become the current profile. */
    public void load(Topology topology, Profile rules) {
        boot(topology, rules);
        profile.set(rules); // the kernel already follows them: no second boot
    }

    /**
     * Shows the machine as a simulated boot with a boot configuration leaves it (kernel-model §2.7), under the
     * current profile; changing the profile boots it again with the same configuration.
     */
    public void loadBooted(Topology topology, BootConfig config) {
        show(() -> BootSimulation.boot(topology, profile.get(), config, HISTORY, events).kernel(), topology);
        bootConfig = config;
    }

    /** The machine on screen as its file describes it, before any boot configuration acted on it. */
    public Topology describedTopology() {
        return described != null ? described : kernel.topology();
    }

    /** The boot configuration the machine on screen was booted with, or null (booted as its topology says). */
    public BootConfig bootConfig() {
        return bootConfig;
    }

    private void boot(Topology topology, Profile rules) {
        show(() -> Kernel.boot(topology, HISTORY, rules, events), topology);
    }

    /** Replaces the machine on screen by the one booting gives, which its file describes as {@code source}. */
    private void show(java.util.function.Supplier<Kernel> booting, Topology source) {
        leavePlayer();
        // a recording describes one machine from its boot: another machine (opened, pasted, or the profile
        // changed) ends it; what was recorded stays, to be saved
        recorder.stop();
        bootConfig = null;
        Kernel previous = kernel;
        kernel = booting.get();
        described = source;
        items.rebuild(kernel);
        vms.show(kernel);
        history.show(kernel);
        selection.set(null);
        lastResult.set(null);
        events.machineReplaced(previous, kernel);
    }

    /** The kernel profile whose rules the machine on screen follows; setting it boots the machine again. */
    public ObjectProperty<Profile> profileProperty() {
        return profile;
    }

    public Profile profile() {
        return profile.get();
    }

    /** Boots the machine again under p (a scenario being played restarts at its boot); its undo history is lost. */
    public void setProfile(Profile p) {
        profile.set(p);
    }

    private void rebootUnder(Profile p) {
        if (kernel == null || kernel.profile() == p) {
            return;
        }
        Scenario playing = player.scenarioProperty().get();
        if (playing != null) {
            start(playing, p);
        } else if (bootConfig != null) {
            BootConfig config = bootConfig;
            Topology machine = describedTopology();
            show(() -> BootSimulation.boot(machine, p, config, HISTORY, events).kernel(), machine);
            bootConfig = config;
        } else {
            boot(describedTopology(), p);
        }
    }

    /**
     * The kernel of the machine on screen, for the other view-models and for tests. Views never call it: they use
     * the items, properties and operations of the view-models (the architecture tests check it).
     */
    public Kernel kernel() {
        return kernel;
    }

    /**
     * Hears the events of the machine on screen and of every machine shown after it, as {@link KernelEvents} delivers
     * them: after the state is complete, and refusing any operation started from the listener.
     */
    public <E extends KernelEvent> void subscribe(Class<E> type, Consumer<? super E> listener) {
        events.subscribe(type, listener);
    }

    /** Where a failing listener's exception goes (the window shows it as an error); by default it is printed. */
    public void reportListenerFailuresTo(Consumer<RuntimeException> report) {
        events.onListenerFailure(f -> report.accept(f.error()));
    }

    /**
     * Whether the operations running now are a scenario's steps (played, or a restored recording replayed) rather
     * than the user's own: a listener shows a refusal of the user's, while the player shows its steps' answers.
     */
    public boolean isReplaying() {
        return replaying > 0;
    }

    /** The last operation's result (the user's, an undo's, or the step the player shows), or null. */
    public ReadOnlyObjectProperty<OpResult> lastResultProperty() {
        return lastResult.getReadOnlyProperty();
    }

    public ObjectProperty<Selection> selectionProperty() {
        return selection;
    }

    public MachineItems items() {
        return items;
    }

    public HistoryViewModel history() {
        return history;
    }

    public VmListViewModel vms() {
        return vms;
    }

    public PlayerViewModel player() {
        return player;
    }

    public RecorderViewModel recorder() {
        return recorder;
    }

    public InspectorViewModel inspector() {
        return inspector;
    }

    public PictureViewModel pictures() {
        return pictures;
    }

    public OverviewViewModel overview() {
        return overview;
    }

    public MachineFileViewModel files() {
        return files;
    }

    public ReadinessViewModel readiness() {
        return readiness;
    }

    public BootViewModel boots() {
        return boots;
    }

    public PlanViewModel plans() {
        return plans;
    }

    public SearchViewModel search() {
        return search;
    }

    // --- the user's operations: each is a step of the scenario vocabulary, so that a recording replays exactly ---

    public OpResult moveToDriver(String device, String driver) {
        return perform(Step.of(StepKind.MOVE, "device", device, "driver", driver));
    }

    /** {@code echo N > sriov_numvfs} on a physical function. */
    public OpResult sriovNumvfs(String device, int count) {
        return perform(Step.of(StepKind.SRIOV_NUMVFS, "device", device, "count", count));
    }

    /** {@code echo 0|1 > sriov_drivers_autoprobe} on a physical function. */
    public OpResult sriovDriversAutoprobe(String device, boolean on) {
        return perform(Step.of(StepKind.SRIOV_DRIVERS_AUTOPROBE, "device", device, "value", on ? "1" : "0"));
    }

    /**
     * A device dropped onto a driver. A driver of another bus is asked too, and refuses as the kernel does (its
     * bus's {@code bind_store()} finds no such device: ENODEV). The scenario vocabulary names a driver only on the
     * device's own bus, so that refusal is not recorded; it changes nothing, so the recording still replays to the
     * same machine.
     */
    public OpResult moveToDriver(String device, DriverItem driver) {
        DeviceItem d = items.device(device);
        if (d == null || d.bus().equals(driver.bus())) {
            return moveToDriver(device, driver.name());
        }
        leavePlayer();
        return showResult(new UserActions(kernel).moveToDriver(device, driver.driver().bus(), driver.name()));
    }

    public OpResult unbind(String device) {
        return perform(Step.of(StepKind.UNBIND, "device", device));
    }

    /** Writes driver_override; null clears it. */
    public OpResult driverOverride(String device, String driver) {
        return perform(Step.of(StepKind.DRIVER_OVERRIDE, "device", device, "driver", driver));
    }

    public OpResult driversProbe(String device) {
        return perform(Step.of(StepKind.DRIVERS_PROBE, "device", device));
    }

    public OpResult remove(String device) {
        return perform(Step.of(StepKind.REMOVE, "device", device));
    }

    public OpResult rescan() {
        return perform(Step.of(StepKind.RESCAN));
    }

    public OpResult setGroupType(int group, String type) {
        return perform(Step.of(StepKind.SET_GROUP_TYPE, "group", group, "type", type));
    }

    /** Adds a VM (a VFIO container) under the first free name of VM1, VM2, ... and returns its name. */
    public String addVm() {
        String name = vms.nextName();
        perform(Step.of(StepKind.ADD_VM, "vm", name)); // the kernel's event puts it in vms()
        return name;
    }

    public OpResult giveGroupToVm(int group, String vm) {
        return perform(Step.of(StepKind.GIVE_GROUP_TO_VM, "group", group, "vm", vm));
    }

    /** Sets the VM's IOMMU (type1v2): its groups get the VM's domain and become user-claimed. */
    public OpResult startVm(String vm) {
        return perform(Step.of(StepKind.START_VM, "vm", vm));
    }

    public OpResult takeGroupFromVm(int group) {
        GroupItem g = items.group(group);
        String vm = g == null ? null : g.vmProperty().get();
        return perform(Step.of(StepKind.TAKE_GROUP_FROM_VM, "group", group, "vm", vm == null ? "(none)" : vm));
    }

    /** newest: bind the device's VFIO cdev to iommufd context {@code ctx} (a per-device claim). */
    public OpResult iommufdBind(String device, String ctx) {
        return perform(Step.of(StepKind.IOMMUFD_BIND, "device", device, "ctx", ctx));
    }

    /** newest: attach the device to page table {@code hwpt} of its iommufd context. */
    public OpResult iommufdAttach(String device, String hwpt) {
        return perform(Step.of(StepKind.IOMMUFD_ATTACH, "device", device, "hwpt", hwpt));
    }

    /** newest: close the device's bound cdev (detach, then release its claim). */
    public OpResult iommufdUnbind(String device) {
        return perform(Step.of(StepKind.IOMMUFD_UNBIND, "device", device));
    }

    /** Runs steps in order (a plan), as if the user did each; stops at the first refusal. */
    OpResult performAll(List<Step> steps) {
        OpResult last = null;
        for (Step step : steps) {
            last = perform(step);
            if (!last.ok()) {
                break;
            }
        }
        return last;
    }

    /** Runs a step the user asked for: leaves a scenario being played, records it when recording. */
    private OpResult perform(Step step) {
        leavePlayer();
        OpResult r = StepRunner.apply(kernel, step);
        recorder.performed(step, r);
        return showResult(r);
    }

    // --- for the other view-models -----------------------------------------------------------------

    /** Shows a scenario's machine at boot under the scenario's profile, ready to be stepped through. */
    public void play(Scenario s) {
        start(s, s.profile());
        profile.set(s.profile()); // the kernel already follows it: nothing boots again
    }

    private void start(Scenario s, Profile rules) {
        show(() -> ScenarioStart.boot(s, HISTORY, rules, events), s.topology());
        bootConfig = s.boot();
        player.start(s, kernel);
    }

    void leavePlayer() {
        if (player.isOpen()) {
            player.leave();
        }
    }

    OpResult showResult(OpResult r) {
        undone.set(null);
        lastResult.set(r);
        return r;
    }

    /**
     * Why a successful operation left a device's group DMA-API owned, in the user's words ("group 8 stays DMA-API
     * owned: 0000:01:00.1 is bound to snd_hda_intel"), or null when nothing needs saying: after a device moved to
     * a VFIO driver, the group changes only when no other member uses the DMA API.
     */
    public String whyGroupStays(OpResult r) {
        if (r == null || !r.ok()) {
            return null;
        }
        for (dev.iommufx.engine.history.Change c : r.changes()) {
            dev.iommufx.engine.Device d = c.subject().equals(dev.iommufx.engine.history.Change.DEVICE)
                    ? kernel.device(c.id()) : null;
            if (d == null || d.driver() == null || !d.driver().spec().vfio() || d.group() == null
                    || d.group().state() != dev.iommufx.engine.GroupState.DMA_API_OWNED) {
                continue;
            }
            java.util.List<String> holders = new java.util.ArrayList<>();
            for (dev.iommufx.engine.Device m : d.group().devices()) {
                if (m.driver() != null && !m.driver().driverManagedDma()) {
                    holders.add(m.id() + " is bound to " + m.driver().name());
                }
            }
            return "group " + d.group().id() + " stays DMA-API owned: " + String.join(", ", holders)
                    + " (every member must leave its DMA-API driver before a VM can claim it)";
        }
        return null;
    }

    /** After an undo: no operation is the last any more; what was undone is said instead. */
    void showUndone(OpResult op) {
        lastResult.set(null);
        undone.set(op == null ? null : op.operation());
    }

    /** The operation the last undo took back ("move 0000:01:00.0 to vfio-pci"), or null after anything else. */
    public ReadOnlyStringProperty undoneProperty() {
        return undone.getReadOnlyProperty();
    }

    /** Runs a scenario's steps: their refusals are the scenario's answers, not the user's (see {@link #isReplaying}). */
    void replay(Runnable steps) {
        replaying++;
        try {
            steps.run();
        } finally {
            replaying--;
        }
    }
}
