package dev.iommufx.engine;

import java.util.Arrays;
import java.util.List;

/**
 * The kernel version whose ownership rules the engine follows. The default is Linux 6.1; the others differ
 * from it by the {@link ProfileRule}s listed for them (kernel-model §1.6, §3.6, §7).
 */
public enum Profile {
    /** 5.17-rc4 with the v7 DMA-ownership series (Feb 2022), the code Eric Auger tested (§7a). */
    V7_SERIES("v7-series", "5.17-rc4 + v7 ownership patches (Feb 2022)"),
    /** Linux 6.1, the foundation of the engine and of the real-kernel records. */
    LINUX_6_1("6.1", "Linux 6.1 (the reference)"),
    /**
     * The kernels after 6.1, up to Linux 7.2: every answer is checked against the real 6.12 and 7.2 records (iommufd
     * against 6.12's).
     */
    NEWEST("newest", "Linux 6.12 to 7.2 (checked against both)");

    public static final Profile DEFAULT = LINUX_6_1;

    private final String key;
    private final String title;

    Profile(String key, String title) {
        this.key = key;
        this.title = title;
    }

    /** The name scenario files and the command line use: "v7-series", "6.1", "newest". */
    public String key() {
        return key;
    }

    public String title() {
        return title;
    }

    /** Whether this profile follows the rule. */
    public boolean has(ProfileRule rule) {
        return rule.appliesTo(this);
    }

    /** The rules this profile follows that the default profile does not, and the other way round. */
    public List<ProfileRule> differencesFromDefault() {
        return Arrays.stream(ProfileRule.values()).filter(r -> has(r) != DEFAULT.has(r)).toList();
    }

    public static Profile fromKey(String key) {
        for (Profile p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        return null;
    }

    public static List<String> keys() {
        return Arrays.stream(values()).map(Profile::key).toList();
    }

    @Override
    public String toString() {
        return key;
    }
}
