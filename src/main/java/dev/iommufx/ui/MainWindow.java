package dev.iommufx.ui;

import dev.iommufx.engine.KernelEvent;
import dev.iommufx.engine.OpResult;
import dev.iommufx.io.BundledFiles;
import dev.iommufx.ui.graph.GraphView;
import dev.iommufx.ui.graph.OverviewView;
import dev.iommufx.ui.panels.CallPathPanel;
import dev.iommufx.ui.panels.InspectorPanel;
import dev.iommufx.ui.panels.PlayerPanel;
import dev.iommufx.ui.panels.ReadinessPanel;
import dev.iommufx.ui.panels.RecorderPanel;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.nio.file.Path;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/**
 * The window: menus and tool bar on top, the graph in the middle, the inspector and the call path on the
 * right, the last result at the bottom. Opening a bad file shows where it is wrong and keeps the machine.
 */
public final class MainWindow extends BorderPane {
    final MachineViewModel machine;
    final GraphView graph;
    /** The whole machine by its structure, on one canvas: what a large machine opens in. */
    final OverviewView overview;
    final InspectorPanel inspector = new InspectorPanel();
    final CallPathPanel callPath = new CallPathPanel();
    final Label status = new Label("Drag a device onto a driver to bind it; drag a group's header onto a VM.");
    /** The kernel profile whose rules the machine follows, always in view at the right of the status bar. */
    final Label profileStatus = new Label();
    final Actions actions;
    /** Side panels not in the first frame: built in the idle frames after it, or when their tab is selected. */
    private final LazyTab<PlayerPanel> scenarioTab;
    private final LazyTab<RecorderPanel> recordingTab;
    final TabPane tabs = new TabPane();
    /** The side panels follow the graph one frame later, so that they never delay its recolouring. */
    private final NextFrame nextFrame = new NextFrame();
    private final Runnable showLastResult;
    private final Runnable showInspector = this::refreshInspector;
    private final RecordingFiles recordings;
    private final WindowFiles files = new WindowFiles(this);
    private final Stage stage;
    private final RecentFiles recent;
    private final BundledFiles bundled;
    /** One menu, refilled each time: stale hidden menus would confuse both users of lookups and tests. */
    private ContextMenu openMenu;

    /** A window keeping its recent files in the user's preferences. */
    public MainWindow(MachineViewModel machine, Stage stage) {
        this(machine, stage, new RecentFiles(java.util.prefs.Preferences.userRoot().node("dev/iommufx/recent")));
    }

    MainWindow(MachineViewModel machine, Stage stage, RecentFiles recent) {
        this(machine, stage, recent, Autosave.inUserHome());
    }

    MainWindow(MachineViewModel machine, Stage stage, RecentFiles recent, Autosave autosave) {
        this(machine, stage, recent, autosave, BundledFiles.APP);
    }

    MainWindow(MachineViewModel machine, Stage stage, RecentFiles recent, Autosave autosave, BundledFiles bundled) {
        this.machine = machine;
        this.bundled = bundled;
        this.showLastResult = () -> {
            if (machine.undoneProperty().get() != null) {
                callPath.showUndone(machine.undoneProperty().get());
            } else {
                callPath.show(machine.lastResultProperty().get());
            }
        };
        this.scenarioTab = new LazyTab<>("Scenario", () -> new PlayerPanel(machine.player()));
        this.recordingTab = new LazyTab<>("Recording",
                () -> new RecorderPanel(machine.recorder(), v -> saveRecording()));
        this.recordings = new RecordingFiles(machine, stage, status, autosave,
                () -> tabs.getSelectionModel().select(recordingTab.tab()));
        machine.player().scenarioProperty().addListener((o, was, now) -> {
            if (now != null) {
                tabs.getSelectionModel().select(scenarioTab.tab());
            }
        });
        this.stage = stage;
        this.recent = recent;
        this.graph = new GraphView(machine);
        this.overview = new OverviewView(machine);
        this.actions = new Actions(machine, graph, device -> new PlanDialog(this, machine.plans()).show(device));
        getStyleClass().add("main-window");
        status.setId("status");
        MenuBarBuilder menus = new MenuBarBuilder(this);
        setTop(new VBox(menus.build(), new ToolBarBuilder(this).build()));
        LazyTab<ReadinessPanel> readinessTab = new LazyTab<>("Readiness", () -> new ReadinessPanel(machine.readiness()));
        // in the idle time after the first frame, one piece a frame: what the first click on it would wait for
        inIdleFrames(menus::fillLessons, inspector::prepare, scenarioTab::panel, recordingTab::panel,
                readinessTab::panel);
        Tab readiness = readinessTab.tab();
        readiness.setId("readiness-tab");
        readiness.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(machine.readiness()::title,
                machine.readiness().readinessProperty()));
        tabs.getTabs().addAll(new Tab("Inspector", inspector), scenarioTab.tab(), recordingTab.tab(), readiness);
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("side-tabs");
        tabs.getSelectionModel().selectedIndexProperty().addListener((o, was, now) -> refreshInspector());
        // the inspector and the call path share the side by a divider the user can move, with no empty gap
        SplitPane side = new SplitPane(tabs, callPath);
        side.setOrientation(Orientation.VERTICAL);
        side.setDividerPositions(0.55);
        side.setPrefWidth(460);
        SplitPane split = new SplitPane(drawingArea(), side);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.7);
        setCenter(split);
        setBottom(statusBar());
        graph.setContextMenuHandler((sel, node) -> showContextMenu(node));
        machine.lastResultProperty().addListener((obs, was, now) -> showResult(now));
        machine.undoneProperty().addListener((obs, was, now) -> {
            if (now != null) {
                nextFrame.run(showLastResult);
                status.setText("Undone: " + now + " (Redo: Ctrl+Shift+Z)");
            }
        });
        machine.selectionProperty().addListener((obs, was, now) -> nextFrame.run(showInspector));
        // the user's refusals; a scenario's are its answers, which the player shows in its timeline
        machine.subscribe(KernelEvent.OperationRefused.class, e -> {
            if (!machine.isReplaying()) {
                notifyRefusal(e.result());
            }
        });
        new KeyboardControl(this).install();
        addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, this::playerKeys);
        acceptDroppedFiles();
        addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (PASTE.match(e) && !(e.getTarget() instanceof javafx.scene.control.TextInputControl)) {
                String text = javafx.scene.input.Clipboard.getSystemClipboard().getString();
                if (text != null) {
                    importText(text);
                }
                e.consume();
            }
        });
    }

    /**
     * The device graph, or in its place the overview of the whole machine (a large machine opens there; View →
     * Overview switches). A double-click on an overview tile shows that group in the graph.
     */
    private javafx.scene.layout.StackPane drawingArea() {
        overview.visibleProperty().bind(machine.overview().shownProperty());
        graph.visibleProperty().bind(machine.overview().shownProperty().not());
        overview.setContextMenuHandler((group, at) -> openContextMenu(overview, at.getX(), at.getY()));
        overview.setOpenInGraph(group -> {
            machine.overview().shownProperty().set(false);
            graph.centreOnGroup(group);
        });
        machine.overview().shownProperty().addListener((o, was, now) -> (now ? overview : graph).requestFocus());
        return new javafx.scene.layout.StackPane(graph, overview);
    }

    /** Whether the machine is drawn in what the window shows: the graph laid out, or the overview's tiles. */
    boolean machineDrawn() {
        return machine.overview().shownProperty().get() ? machine.overview().layoutsProperty().get() != null
                : graph.laidOutProperty().get();
    }

    /** Zooms what the window shows: the overview or the graph. */
    void zoomBy(double factor) {
        if (machine.overview().shownProperty().get()) {
            overview.zoomBy(factor);
        } else {
            graph.viewport().zoomBy(factor);
        }
    }

    /** Fits what the window shows to it. */
    void fitView() {
        if (machine.overview().shownProperty().get()) {
            overview.fit();
        } else {
            graph.viewport().fit();
        }
    }

    /**
     * Runs work the window's first frame need not wait for, a piece every other frame once that frame is drawn, so
     * that a click meanwhile waits for one piece at most.
     */
    private static void inIdleFrames(Runnable... pieces) {
        new javafx.animation.AnimationTimer() {
            private int frames;

            @Override
            public void handle(long now) {
                int piece = ++frames / 2 - 1; // the first frame has been drawn by the time the second begins
                if (frames % 2 == 0 && piece < pieces.length) {
                    pieces[piece].run();
                }
                if (piece >= pieces.length - 1) {
                    stop();
                }
            }
        }.start();
    }

    /** The last result on the left, the kernel profile on the right; a switch of profile is announced. */
    private HBox statusBar() {
        profileStatus.setId("profile-status");
        profileStatus.textProperty().bind(machine.profileProperty().map(p -> "Kernel rules: " + p.title()));
        profileStatus.setMinWidth(Region.USE_PREF_SIZE);
        machine.profileProperty().addListener((o, was, now) -> status.setText("Now following the " + now.key()
                + " rules: the machine restarted from boot (View → Compare kernel profiles shows what differs)"));
        status.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(status, Priority.ALWAYS);
        HBox bar = new HBox(status, profileStatus);
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    private void showResult(OpResult r) {
        nextFrame.run(showLastResult);
        nextFrame.run(showInspector);
        if (r != null) {
            String why = machine.whyGroupStays(r);
            status.setText(r.operation() + " → " + r.resultLabel()
                    + (r.cause() != null && !r.ok() ? ": " + machine.vms().explain(r.cause().reason()) : "")
                    + (why == null ? "" : "; " + why));
            recordings.showProblem();
        }
    }

    /** The inspector shows the selection; it is rebuilt only while its tab is the one showing. */
    void refreshInspector() {
        if (tabs.getSelectionModel().getSelectedIndex() == 0) {
            inspector.show(machine.inspector().rows());
        }
    }

    /** A refused operation: a notification with the errno and the kernel's reason; nothing changed. */
    private void notifyRefusal(OpResult r) {
        String reason = r.cause() == null ? "" : r.cause().function() + "(): "
                + machine.vms().explain(r.cause().reason());
        Notifications.create().owner(stage).title(r.operation() + " refused: " + r.errno().name())
                .text(reason + "\nNothing was changed.").hideAfter(Duration.seconds(8)).showWarning();
    }

    /** Opens the context menu of the selection, at its node (or the middle of the graph). */
    void showContextMenu(javafx.scene.Node anchor) {
        javafx.scene.Node at = anchor == null ? graph : anchor;
        javafx.geometry.Bounds b = at.localToScreen(at.getBoundsInLocal());
        openContextMenu(at, b.getMinX() + 20, b.getMinY() + b.getHeight() / 2);
    }

    /** The selection's actions, at (x, y) on the screen. */
    private void openContextMenu(javafx.scene.Node owner, double x, double y) {
        ContextMenu menu = contextMenu();
        menu.hide();
        menu.getItems().setAll(actions.forSelection(machine.selectionProperty().get()));
        menu.show(owner, x, y);
    }

    /** → ← Home End Space step through the scenario being played (not while typing in a field). */
    private void playerKeys(javafx.scene.input.KeyEvent e) {
        if (!machine.player().isOpen() || e.getTarget() instanceof javafx.scene.control.TextInputControl) {
            return;
        }
        switch (e.getCode()) {
            case RIGHT -> machine.player().forward();
            case LEFT -> machine.player().back();
            case HOME -> machine.player().playTo(0);
            case END -> machine.player().playTo(Integer.MAX_VALUE);
            case SPACE -> player().togglePlay();
            default -> {
                return;
            }
        }
        e.consume();
    }

    private static final javafx.scene.input.KeyCombination PASTE =
            javafx.scene.input.KeyCombination.keyCombination("Shortcut+V");

    /** Pasted text: a listing from a forum post (lspci, the group loop, ls-iommu) becomes the machine shown. */
    public boolean importText(String text) {
        return files.importText(text);
    }

    void saveRecording() {
        recordings.save();
    }

    /** Saves the recording atomically, to this file. */
    boolean saveRecordingTo(Path file) {
        return recordings.saveTo(file);
    }

    /** At start: a recording left by a crash is offered back. */
    public void offerToRestore() {
        recordings.offerToRestore();
    }

    void restoreRecording(dev.iommufx.scenario.Recording left) {
        recordings.restore(left);
    }

    /** File → Open: the chooser, starting on every kind of machine file. */
    void chooseAndOpen() {
        files.chooseAndOpen();
    }

    /** Opens a path on this machine or a {@code bundled:} file; a bad name or file is refused, the machine stays. */
    public boolean open(String name) {
        return files.open(name);
    }

    /** Opens a topology, scenario, snapshot, listing or XML; a bad file is refused and the machine stays. */
    public boolean open(Path file) {
        return files.open(file);
    }

    /** File → Save machine as…, to this file. */
    boolean saveMachineTo(Path file) {
        return files.saveMachineTo(file);
    }

    /** The files shipped with the application, as this window finds them (the jar's, or a test's). */
    /** The window's own settings (the start page's "show at start"), kept per user. */
    java.util.prefs.Preferences preferences() {
        return java.util.prefs.Preferences.userRoot().node("dev/iommufx/window");
    }

    BundledFiles bundled() {
        return bundled;
    }

    RecentFiles recent() {
        return recent;
    }

    Stage stage() {
        return stage;
    }

    private void acceptDroppedFiles() {
        setOnDragOver(e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY);
            }
            e.consume();
        });
        setOnDragDropped(e -> {
            boolean done = e.getDragboard().hasFiles() && open(e.getDragboard().getFiles().get(0).toPath());
            e.setDropCompleted(done);
            e.consume();
        });
    }

    /** The context menu of the selection (one instance, refilled each time it opens). */
    ContextMenu contextMenu() {
        if (openMenu == null) { // made when first opened: a window need not wait for it
            openMenu = new ContextMenu();
            openMenu.setId("context-menu");
        }
        return openMenu;
    }

    public GraphView graph() {
        return graph;
    }

    public InspectorPanel inspector() {
        return inspector;
    }

    public PlayerPanel player() {
        return scenarioTab.panel();
    }

    public CallPathPanel callPath() {
        return callPath;
    }
}
