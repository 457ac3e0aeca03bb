package dev.iommufx.ui;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.DialogPane;
import javafx.scene.input.Clipboard;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A bug that escapes an event handler reaches the user as a dialog whose details can be copied, never silence. */
@ExtendWith(ApplicationExtension.class)
class ErrorDialogTest {
    private ErrorDialog dialog;
    private int clicks;
    private Thread.UncaughtExceptionHandler before;
    private Thread.UncaughtExceptionHandler beforeOnFxThread;

    @Start
    void start(Stage stage) {
        Button faulty = new Button("faulty");
        faulty.setId("faulty");
        faulty.setOnAction(e -> {
            clicks++;
            throw new IllegalStateException("a bug on purpose #" + clicks);
        });
        stage.setScene(new Scene(faulty, 300, 200));
        stage.show();
        before = Thread.getDefaultUncaughtExceptionHandler();
        beforeOnFxThread = Thread.currentThread().getUncaughtExceptionHandler();
        dialog = ErrorDialog.install(stage);
    }

    /** The handlers are the JVM's: later tests must not inherit this test's dialog. */
    @AfterEach
    void restoreHandlers(FxRobot robot) {
        Thread.setDefaultUncaughtExceptionHandler(before);
        robot.interact(() -> Thread.currentThread().setUncaughtExceptionHandler(beforeOnFxThread));
    }

    @Test
    void anExceptionInAHandlerShowsOneDialogWithCopyableDetails(FxRobot robot) {
        robot.clickOn("#faulty");
        WaitForAsyncUtils.waitForFxEvents();
        DialogPane pane = robot.lookup("#error-dialog").queryAs(DialogPane.class);
        assertThat(pane.getContentText()).contains("IllegalStateException: a bug on purpose #1");
        robot.interact(() -> ((Button) pane.lookupButton(ErrorDialog.COPY)).fire());
        String[] clip = new String[1];
        robot.interact(() -> clip[0] = Clipboard.getSystemClipboard().getString());
        assertThat(clip[0]).contains("a bug on purpose #1").contains("ErrorDialogTest");
        assertThat(dialog.showing().isShowing()).as("Copy keeps the dialog open").isTrue();

        // a second error while the dialog is open is added to it, not stacked in a new dialog
        Button faulty = robot.lookup("#faulty").queryButton();
        robot.interact(() -> javafx.application.Platform.runLater(faulty::fire));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#error-dialog").queryAll()).hasSize(1);
        assertThat(dialog.showing().getHeaderText()).startsWith("2 unexpected errors");
        robot.interact(() -> dialog.showing().close());
    }
}
