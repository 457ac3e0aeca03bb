package dev.iommufx.io.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iommufx.engine.Kernel;
import dev.iommufx.io.Limits;
import dev.iommufx.model.DeviceSpec;

/**
 * What every importer promises for any input, checked by the fuzz tests: it returns a machine within the
 * limits that the engine boots, or refuses with an {@link ImportException} that says where and why. Any other exception escapes
 * the fuzz test and is a finding.
 */
final class ImportOutcome {
    /** An import: its result, or null when it could not read its input at all. */
    @FunctionalInterface
    interface Import {
        ImportResult run() throws Exception;
    }

    private ImportOutcome() {
    }

    static ImportResult check(Import importer) throws Exception {
        ImportResult r;
        try {
            r = importer.run();
        } catch (ImportException refused) {
            assertThat(refused.where()).as("a refusal says where").isNotBlank();
            assertThat(refused.problem()).as("a refusal says why").isNotBlank();
            return null;
        }
        if (r == null) {
            return null;
        }
        assertThat(r.topology().devices()).isNotEmpty().hasSizeLessThanOrEqualTo(Limits.DEVICES);
        for (DeviceSpec d : r.topology().devices()) {
            assertThat(d.group() == null || d.group() >= 0 && d.group() <= Limits.GROUP_NUMBER).isTrue();
        }
        Kernel.boot(r.topology()); // what every command does next: an imported machine must boot
        return r;
    }
}
