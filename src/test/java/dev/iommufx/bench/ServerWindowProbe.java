package dev.iommufx.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.iommufx.io.TopologyWriter;
import dev.iommufx.ui.IommufxApp;
import dev.iommufx.ui.MainWindow;
import dev.iommufx.ui.viewmodel.MachineViewModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

/**
 * A large machine in the real window, against a bare JavaFX window in a JVM of its own (docs/benchmarks.md, "Servers
 * in the window"). Run under a display (xvfb-run), one JVM per measurement:
 * <pre>
 *   ServerWindowProbe write DIR 500 13000    # the generated machines as topology files
 *   ServerWindowProbe open DIR/13000.json    # the window opening it, as File → Open does
 *   ServerWindowProbe bare                   # the floor: one label in a window of the same size
 * </pre>
 * Prints the time from asking to open the file to the first frame with the machine drawn, then, after the window
 * has settled for 5 s and a GC, the resident memory (VmRSS) and live heap, and the CPU the process uses at rest
 * over 10 s (cores).
 */
public final class ServerWindowProbe {
    private ServerWindowProbe() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "write" -> {
                for (int i = 2; i < args.length; i++) {
                    int n = Integer.parseInt(args[i]);
                    TopologyWriter.write(TopologyGenerator.generate(n), Files.createDirectories(Path.of(args[1]))
                            .resolve(n + ".json"));
                }
            }
            case "open" -> open(Path.of(args[1]));
            case "bare" -> bare();
            default -> throw new IllegalArgumentException("write, open or bare");
        }
    }

    private static void open(Path file) throws Exception {
        Platform.startup(() -> { });
        MachineViewModel machine = new MachineViewModel();
        MainWindow[] window = new MainWindow[1];
        onFx(() -> {
            machine.load(IommufxApp.defaultTopology());
            Stage stage = new Stage();
            window[0] = new MainWindow(machine, stage);
            Scene scene = new Scene(window[0], 1600, 1000);
            scene.getStylesheets().add(MainWindow.class.getResource("/dev/iommufx/ui/iommufx.css").toExternalForm());
            stage.setScene(scene);
            stage.show();
        });
        Thread.sleep(2000); // the window is up with the default machine, as when a user opens a file
        long asked = System.nanoTime();
        if (Boolean.getBoolean("probe.phases")) {
            dev.iommufx.model.Topology[] t = new dev.iommufx.model.Topology[1];
            onFx(() -> {
                try {
                    t[0] = dev.iommufx.io.MachineFiles.open(file).scenario().topology();
                } catch (dev.iommufx.io.FormatException e) {
                    throw new IllegalStateException(e);
                }
            });
            System.out.printf("  read %.0f ms%n", (System.nanoTime() - asked) / 1e6);
            long l0 = System.nanoTime();
            onFx(() -> machine.load(t[0]));
            System.out.printf("  load %.0f ms%n", (System.nanoTime() - l0) / 1e6);
        } else {
            onFx(() -> window[0].open(file));
        }
        boolean overview = machine.overview().shownProperty().get();
        while (overview ? machine.overview().layoutsProperty().get() == null
                : !window[0].graph().laidOutProperty().get()) {
            Thread.sleep(2);
        }
        onFx(() -> { }); // the frame that draws it has been scheduled: wait for the queue to pass it
        double drawn = (System.nanoTime() - asked) / 1e6;
        System.out.printf("open %s (%d devices, %s): drawn %.0f ms after asking%n", file.getFileName(),
                machine.kernel().devices().size(), overview ? "overview" : "device graph", drawn);
        if (overview) {
            recolour(machine);
        }
        settleAndMeasure("iommufx " + file.getFileName());
        Platform.exit();
    }

    /**
     * A GPU moved to vfio-pci and back 200 times after 100 to warm up, as a drop or a menu does: the handler, then
     * the overview's redraw of the changed tiles (queued after it, which the empty task after it waits for).
     */
    private static void recolour(MachineViewModel machine) throws Exception {
        dev.iommufx.engine.Device gpu = machine.kernel().devices().stream()
                .filter(d -> "GPU".equals(d.spec().name())).findFirst().orElse(null);
        if (gpu == null) {
            return;
        }
        String home = gpu.sysfsDriver().name();
        java.util.List<Double> ms = new java.util.ArrayList<>();
        java.util.List<Double> handler = new java.util.ArrayList<>();
        for (int i = 0; i < 300; i++) { // the first 100 warm the code up, as a user's first moves do
            String to = i % 2 == 0 ? "vfio-pci" : home;
            double[] h = new double[2];
            onFx(() -> {
                h[0] = System.nanoTime();
                machine.moveToDriver(gpu.id(), to);
                h[1] = System.nanoTime();
            });
            onFx(() -> { });
            if (i >= 100) {
                ms.add((System.nanoTime() - h[0]) / 1e6);
                handler.add((h[1] - h[0]) / 1e6);
            }
        }
        java.util.Collections.sort(ms);
        java.util.Collections.sort(handler);
        System.out.printf("  move and redraw the overview: p50 %.1f ms, p95 %.1f ms (the move alone: p50 %.1f ms,"
                + " p95 %.1f ms)%n", ms.get(100), ms.get(190), handler.get(100), handler.get(190));
    }

    private static void bare() throws Exception {
        Platform.startup(() -> { });
        onFx(() -> {
            Stage stage = new Stage();
            stage.setScene(new Scene(new StackPane(new Label("bare JavaFX window")), 1600, 1000));
            stage.show();
        });
        Thread.sleep(2000);
        settleAndMeasure("bare window");
        Platform.exit();
    }

    private static void settleAndMeasure(String what) throws Exception {
        Thread.sleep(5000);
        System.gc();
        Thread.sleep(500);
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Thread.sleep(10_000);
        double cores = (os.getProcessCpuTime() - cpu0) / (double) (System.nanoTime() - t0);
        System.out.printf("%s: resident %d MB, live heap %d MB, at rest %.3f cores%n", what, rssKb() / 1024,
                heap >> 20, cores);
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    private static void onFx(Runnable r) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        Platform.runLater(() -> {
            try {
                r.run();
            } finally {
                done.countDown();
            }
        });
        if (!done.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the JavaFX thread did not answer");
        }
    }
}
