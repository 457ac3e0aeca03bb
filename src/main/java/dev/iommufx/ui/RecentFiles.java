package dev.iommufx.ui;

import java.util.ArrayList;
import java.util.List;
import java.util.prefs.Preferences;

/**
 * The last files opened, newest first, kept in the user's preferences: each as the name that opens it again, an
 * absolute path on this machine or a {@code bundled:} name of a file shipped inside the application.
 */
final class RecentFiles {
    private static final int MAX = 8;
    private final Preferences prefs;

    RecentFiles(Preferences prefs) {
        this.prefs = prefs;
    }

    List<String> list() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            String p = prefs.get("recent." + i, null);
            if (p != null) {
                out.add(p);
            }
        }
        return out;
    }

    void add(String name) {
        List<String> names = list();
        names.remove(name);
        names.add(0, name);
        for (int i = 0; i < MAX; i++) {
            if (i < names.size()) {
                prefs.put("recent." + i, names.get(i));
            } else {
                prefs.remove("recent." + i);
            }
        }
    }
}
