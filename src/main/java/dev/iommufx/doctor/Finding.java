package dev.iommufx.doctor;

/**
 * One thing the readiness checks found, in plain words.
 *
 * @param severity how much it matters for passthrough
 * @param device   the device it is about, or null for the machine as a whole
 * @param text     what it means for the user
 */
public record Finding(Severity severity, String device, String text) {
    /** How much a finding matters. */
    public enum Severity {
        /** Passthrough cannot work until this is fixed. */
        ERROR("error"),
        /** Passthrough may fail or misbehave because of this. */
        WARNING("warning"),
        /** Worth knowing; nothing to fix. */
        INFO("info"),
        /** A check that passed. */
        OK("ok");

        private final String word;

        Severity(String word) {
            this.word = word;
        }

        /** The word the text and JSON reports use. */
        public String word() {
            return word;
        }
    }

    public Finding {
        if (severity == null || text == null || text.isBlank()) {
            throw new IllegalArgumentException("a finding needs a severity and a text");
        }
    }
}
