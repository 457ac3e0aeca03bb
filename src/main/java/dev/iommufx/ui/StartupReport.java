package dev.iommufx.ui;

import java.lang.management.ManagementFactory;
import javafx.application.Platform;
import javafx.scene.Scene;

/**
 * With {@code -Diommufx.reportStartup=true}: prints the time from JVM start to the first frame in which the
 * machine is drawn (in the graph, or for a large machine in the overview) and the window takes input, and the
 * wall-clock time of that frame in epoch milliseconds (for a benchmark that times from exec), then exits (for the
 * start-up benchmark in docs/benchmarks.md). The frame counts once it is styled and laid out, as the pulse hands it
 * to the renderer; the bare window of that benchmark is timed the same way.
 */
final class StartupReport {
    private StartupReport() {
    }

    static void whenInteractive(MainWindow window, Scene scene) {
        scene.addPostLayoutPulseListener(new Runnable() {
            @Override
            public void run() {
                if (window.machineDrawn() && scene.getWindow().isShowing()) {
                    long epochMs = System.currentTimeMillis();
                    long ms = epochMs - ManagementFactory.getRuntimeMXBean().getStartTime();
                    System.out.println("iommufx: first interactive frame " + ms + " ms after JVM start (at " + epochMs + ")");
                    scene.removePostLayoutPulseListener(this);
                    Platform.exit();
                }
            }
        });
    }
}
