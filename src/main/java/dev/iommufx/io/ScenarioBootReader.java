package dev.iommufx.io;

import dev.iommufx.io.boot.BootConfigReader;
import dev.iommufx.io.boot.ConfigFiles;
import dev.iommufx.model.boot.BootConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scenario's {@code "boot"}: the boot configuration's files by their paths on the machine
 * ({@code {"etc/modprobe.d/vfio.conf": "options vfio-pci ids=10de:1b80"}}), read as {@code iommufx boot --config}
 * reads a directory. At most {@link #MAX_FILES} files; a path is relative, of plain names, without {@code ..}.
 */
final class ScenarioBootReader {
    static final int MAX_FILES = 64;
    static final int MAX_PATH = 200;

    /** A configuration and the files it was read from. */
    record Read(Map<String, String> files, BootConfig config) {
    }

    private ScenarioBootReader() {
    }

    static Read read(Node node) throws FormatException {
        node.requireObject("a boot configuration: file paths (etc/modprobe.d/vfio.conf ...) to their text");
        if (node.keys().size() > MAX_FILES) {
            throw node.error("more than " + MAX_FILES + " files");
        }
        Map<String, String> files = new LinkedHashMap<>();
        for (String path : node.keys()) {
            if (!plainPath(path)) {
                throw node.keyError(path, "not a relative path of plain names (expected etc/modprobe.d/NAME.conf, "
                        + "etc/kernel/cmdline ...)");
            }
            files.put(path, node.field(path).string());
        }
        try {
            return new Read(files, BootConfigReader.read(ConfigFiles.inMemory(files)));
        } catch (FormatException e) {
            Node at = node.field(e.file());
            throw (at == null ? node : at).error(e.file() + (e.line() > 0 ? ", line " + e.line() : "") + ": "
                    + e.problem());
        }
    }

    /** Names of letters, digits, dot, dash, underscore, colon, plus and at, joined by single slashes. */
    private static boolean plainPath(String path) {
        if (path.isEmpty() || path.length() > MAX_PATH || path.startsWith("/") || path.endsWith("/")) {
            return false;
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                if (!(Character.isLetterOrDigit(c) && c < 128) && ".-_:+@".indexOf(c) < 0) {
                    return false;
                }
            }
        }
        return true;
    }
}
