package dev.iommufx.ui;

import java.io.PrintWriter;
import java.io.StringWriter;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextArea;
import javafx.scene.input.ClipboardContent;
import javafx.stage.Window;

/**
 * Every exception that escapes to a thread's top (a bug: the engine refuses operations with an errno, and files
 * are refused with their location) reaches the user as an error dialog, never as silence. The dialog keeps the
 * window and the user's work, shows the details folded, and copies them for a bug report. Errors that follow
 * while it is open are added to it rather than stacking dialogs.
 */
final class ErrorDialog {
    static final ButtonType COPY = new ButtonType("Copy details", ButtonBar.ButtonData.LEFT);
    private final Window owner;
    private Alert showing;
    private TextArea details;
    private int count;

    private ErrorDialog(Window owner) {
        this.owner = owner;
    }

    /** Shows uncaught exceptions of the JavaFX thread and of every other thread over the given window. */
    static ErrorDialog install(Window owner) {
        ErrorDialog dialog = new ErrorDialog(owner);
        Thread.UncaughtExceptionHandler handler = (thread, e) -> dialog.report(thread, e);
        Thread.setDefaultUncaughtExceptionHandler(handler);
        Thread.currentThread().setUncaughtExceptionHandler(handler);
        return dialog;
    }

    /** Prints the error and shows it on the JavaFX thread. */
    void report(Thread thread, Throwable e) {
        String text = "in thread \"" + thread.getName() + "\": " + stackTrace(e);
        System.err.print("iommufx: unexpected error " + text);
        if (Platform.isFxApplicationThread()) {
            show(e, text);
        } else {
            Platform.runLater(() -> show(e, text));
        }
    }

    private void show(Throwable e, String text) {
        count++;
        if (showing != null && showing.isShowing()) {
            details.appendText("\n\n" + text);
            showing.setHeaderText(count + " unexpected errors: iommufx kept your machine and your work");
            return;
        }
        count = 1;
        details = new TextArea(text);
        details.setEditable(false);
        details.setWrapText(false);
        details.setPrefRowCount(14);
        Alert alert = new Alert(Alert.AlertType.ERROR, "", COPY, ButtonType.CLOSE);
        if (owner != null && owner.isShowing()) {
            alert.initOwner(owner);
        }
        alert.setTitle("iommufx: unexpected error");
        alert.setHeaderText("An unexpected error: iommufx kept your machine and your work");
        alert.setContentText(summary(e) + "\n\nThis is a bug in iommufx. Copy the details into a bug report;"
                + " the window stays usable.");
        alert.getDialogPane().setExpandableContent(details);
        alert.getDialogPane().setId("error-dialog");
        // Copy must not close the dialog: consume its action
        alert.getDialogPane().lookupButton(COPY).addEventFilter(javafx.event.ActionEvent.ACTION, a -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(details.getText());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
            a.consume();
        });
        showing = alert;
        alert.show();
    }

    /** The exception's class and message, and its innermost cause's when that says more. */
    static String summary(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String first = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return root == e ? first : first + "\n(caused by " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage()) + ")";
    }

    private static String stackTrace(Throwable e) {
        StringWriter w = new StringWriter();
        e.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** The dialog on screen, for tests; null when none has been shown. */
    Alert showing() {
        return showing;
    }
}
