package dev.iommufx.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Before the window opens: can this machine show one? A machine with no display, or without GTK 3
 * (which JavaFX needs on Linux), gets a message saying what to install or what to run instead,
 * never a stack trace.
 */
public final class DesktopCheck {
    private static final List<String> LIB_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
            "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib64", "/lib");

    static final String HEADLESS_HINT = """
              Without a screen, run the app under a virtual display:
                sudo apt-get install -y --no-install-recommends libgtk-3-0 xvfb
                xvfb-run -a ./iommufx
              or use the headless commands, which need no display:
                ./iommufx replay topologies/scenarios/workstation-gpu-passthrough.json
                ./iommufx groups topologies/workstation.json
                ./iommufx help
            """;

    private DesktopCheck() {
    }

    /** Null if a window can be shown, else the message to print. */
    public static String whyNoWindow(Map<String, String> env) {
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            return null;
        }
        if ("Monocle".equals(System.getProperty("glass.platform"))) {
            return null;   // a headless glass: it draws into memory and needs neither a display nor GTK
        }
        if (blank(env.get("DISPLAY")) && blank(env.get("WAYLAND_DISPLAY"))) {
            return "iommufx: there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set).\n" + HEADLESS_HINT;
        }
        if (!hasGtk3(env)) {
            return "iommufx: the desktop app needs GTK 3 (libgtk-3.so.0), which this machine lacks.\n"
                    + "  Install it:  sudo apt-get install -y --no-install-recommends libgtk-3-0\n" + HEADLESS_HINT;
        }
        return null;
    }

    /** A message for a launch that failed anyway (an unusual GTK or display setup). */
    public static String explainLaunchFailure(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return "iommufx: the window could not be opened: " + root.getMessage() + "\n" + HEADLESS_HINT;
    }

    static boolean hasGtk3(Map<String, String> env) {
        List<String> dirs = new ArrayList<>();
        String ld = env.get("LD_LIBRARY_PATH");
        if (!blank(ld)) {
            dirs.addAll(List.of(ld.split(":")));
        }
        dirs.addAll(LIB_DIRS);
        return dirs.stream().anyMatch(d -> Files.exists(Path.of(d, "libgtk-3.so.0")));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
