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
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

/** The desktop app: the bundled workstation, or the file named on the command line. */
public final class IommufxApp extends Application {
    public static final String DEFAULT_TOPOLOGY = "/topologies/workstation.json";
    public static final String STYLESHEET = "/dev/iommufx/ui/iommufx.css";

    @Override
    public void start(Stage stage) {
        MachineViewModel machine = new MachineViewModel();
        machine.load(defaultTopology());
        MainWindow window = new MainWindow(machine, stage);
        Scene scene = new Scene(window, 1500, 900);
        scene.getStylesheets().add(IommufxApp.class.getResource(STYLESHEET).toExternalForm());
        stage.setTitle("iommufx — workstation");
        stage.setScene(scene);
        ErrorDialog errors = ErrorDialog.install(stage);
        // a view's listener that fails is a bug like any other: shown, while the other listeners still hear
        machine.reportListenerFailuresTo(e -> errors.report(Thread.currentThread(), e));
        stage.show();
        window.graph().rebuild();
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
