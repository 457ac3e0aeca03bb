package dev.iommufx.ui;

import dev.iommufx.io.FormatException;
import dev.iommufx.io.ScenarioReader;
import dev.iommufx.io.ScenarioWriter;
import dev.iommufx.scenario.Recording;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps a recording in progress on disk after every change (atomically: a crash never leaves half a file),
 * so that it survives a crash; the next start offers to restore it.
 */
final class Autosave {
    private final Path file;

    Autosave(Path dir) {
        this.file = dir.resolve("recording-in-progress.json");
    }

    /** The default place: the user's ~/.iommufx (or the directory named by -Diommufx.autosaveDir). */
    static Autosave inUserHome() {
        String dir = System.getProperty("iommufx.autosaveDir");
        return new Autosave(dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".iommufx"));
    }

    /**
     * Writes the recording; returns null, or why it could not be kept on disk (the recording itself stays in
     * memory, but would not survive a crash: the user must hear of it).
     */
    String save(Recording r) {
        try {
            Files.createDirectories(file.getParent());
            ScenarioWriter.write(r.toScenario(), file);
            return null;
        } catch (IOException e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    /** The recording left by an earlier run, or null. */
    Recording restore() {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Recording.of(ScenarioReader.read(file));
        } catch (FormatException e) {
            return null;
        }
    }

    void discard() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing to restore next time either way
        }
    }

    Path file() {
        return file;
    }
}
