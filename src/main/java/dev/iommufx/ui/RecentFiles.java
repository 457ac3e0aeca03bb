package dev.iommufx.ui;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/** The last files opened, newest first, kept in the user's preferences. */
final class RecentFiles {
    private static final int MAX = 8;
    private final Preferences prefs;

    RecentFiles(Preferences prefs) {
        this.prefs = prefs;
    }

    List<Path> list() {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            String p = prefs.get("recent." + i, null);
            if (p != null) {
                out.add(Path.of(p));
            }
        }
        return out;
    }

    void add(Path file) {
        List<Path> files = list();
        Path abs = file.toAbsolutePath().normalize();
        files.remove(abs);
        files.add(0, abs);
        for (int i = 0; i < MAX; i++) {
            if (i < files.size()) {
                prefs.put("recent." + i, files.get(i).toString());
            } else {
                prefs.remove("recent." + i);
            }
        }
    }
}
