package dev.iommufx.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code iommufx --version}: the version the build wrote into {@code version.properties}, and the Java running it. */
final class Version implements CommandLine.IVersionProvider {
    /** The application's version, or "unknown" when the resource is missing (a build that skipped resources). */
    static String number() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/iommufx/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] {"iommufx " + number(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
