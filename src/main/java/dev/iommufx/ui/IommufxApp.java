package dev.iommufx.ui;

import dev.iommufx.io.FormatException;
import dev.iommufx.io.TopologyReader;
import dev.iommufx.model.Topology;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The desktop app: the bundled workstation, or the file named on the command line. */
public final class IommufxApp extends Application {
    public static final String DEFAULT_TOPOLOGY = "/topologies/workstation.json";
    public static final String STYLESHEET = "/dev/iommufx/ui/iommufx.css";
    /** The bundled machine being booted while JavaFX starts, or null. */
    private static volatile CompletableFuture<MachineViewModel> prepared;

    @Override
    public void start(Stage stage) {
        CompletableFuture<MachineViewModel> ready = prepared;
        prepared = null;
        MachineViewModel machine = ready != null ? prepared(ready) : bootDefaultMachine();
        MainWindow window = new MainWindow(machine, stage);
        Scene scene = new Scene(window, 1500, 900);
        scene.getStylesheets().add(IommufxApp.class.getResource(STYLESHEET).toExternalForm());
        stage.setTitle("iommufx — workstation");
        stage.setScene(scene);
        ErrorDialog errors = ErrorDialog.install(stage);
        // a view's listener that fails is a bug like any other: shown, while the other listeners still hear
        machine.reportListenerFailuresTo(e -> errors.report(Thread.currentThread(), e));
        window.graph().rebuildNow(); // the machine is in the window's first frame, styled and laid out with it
        stage.show();
        window.graph().viewport().fit(); // the window has its size now
        window.graph().requestFocus(); // the keys act on the machine, not in the empty search box
        if (Boolean.getBoolean("iommufx.reportStartup")) {
            StartupReport.whenInteractive(window, scene);
        }
        window.offerToRestore();
        List<String> args = getParameters() == null ? List.of() : getParameters().getRaw();
        if (!args.isEmpty()) {
            window.open(args.get(0));
        } else if (Boolean.parseBoolean(System.getProperty("iommufx.startPage", "true"))
                && StartPage.showAtStart(window.preferences())) {
            new StartPage(window).show(window.preferences()); // a first start, with nothing named to open
        }
    }

    /**
     * Reads and boots the bundled machine on another thread while JavaFX starts, which keeps one thread busy with
     * the display for a third of a second (docs/benchmarks.md, "Start-up"): the window then has its machine at
     * once. Nothing of the window exists yet, so the view-model is handed over whole, before any view listens.
     */
    public static void prepareDefaultMachine() {
        prepared = CompletableFuture.supplyAsync(IommufxApp::bootDefaultMachine);
    }

    /** The machine booted while JavaFX started; a failure there is thrown here, as if it had happened here. */
    private static MachineViewModel prepared(CompletableFuture<MachineViewModel> ready) {
        try {
            return ready.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static MachineViewModel bootDefaultMachine() {
        MachineViewModel machine = new MachineViewModel();
        machine.load(defaultTopology());
        return machine;
    }

    /** The bundled workstation topology, from the application's resources. */
    public static Topology defaultTopology() {
        try (InputStream in = IommufxApp.class.getResourceAsStream(DEFAULT_TOPOLOGY)) {
            if (in == null) {
                throw new IllegalStateException("the bundled topology " + DEFAULT_TOPOLOGY + " is missing");
            }
            return TopologyReader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "workstation.json");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (FormatException e) {
            throw new IllegalStateException("the bundled topology is invalid: " + e.getMessage(), e);
        }
    }
}
