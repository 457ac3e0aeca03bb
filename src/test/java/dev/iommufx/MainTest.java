package dev.iommufx;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MainTest {
    private final Logger javafx = Logger.getLogger("javafx");
    private final Filter before = javafx.getFilter();

    @AfterEach
    void restore() {
        javafx.setFilter(before);
    }

    /** The message JavaFX 21's PlatformImpl.startup() logs on the "javafx" logger when loaded from the class path. */
    @Test
    void theClassPathWarningIsDroppedAndOtherJavaFxWarningsAreKept() {
        Main.quietClassPathWarning();
        Filter filter = javafx.getFilter();
        assertFalse(filter.isLoggable(new LogRecord(Level.WARNING,
                "Unsupported JavaFX configuration: classes were loaded from 'unnamed module @69eee410'")));
        assertTrue(filter.isLoggable(new LogRecord(Level.WARNING, "any other JavaFX warning")));
        assertTrue(filter.isLoggable(new LogRecord(Level.SEVERE, null)));
    }
}
