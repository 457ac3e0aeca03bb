package dev.iommufx.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A process that saves a file slowly through {@link AtomicFiles}, to be killed halfway by a test. */
public final class SlowSave {
    private SlowSave() {
    }

    private static void pause() throws java.io.IOException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            throw new java.io.InterruptedIOException();
        }
    }

    public static void main(String[] args) throws Exception {
        AtomicFiles.write(Path.of(args[0]), channel -> {
            for (int i = 0; i < 600; i++) {
                channel.write(ByteBuffer.wrap(("new content, chunk " + i + "\n").getBytes()));
                channel.force(false);
                pause();
            }
        });
    }
}
