package dev.iommufx.io.imports;

import static dev.iommufx.io.imports.HostileCorpus.read;
import static dev.iommufx.io.imports.HostileCorpus.refused;
import static dev.iommufx.io.imports.HostileCorpus.text;

import dev.iommufx.io.imports.HostileCorpus.Case;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Hostile topology and scenario JSON: nesting, sizes, numbers, counts, trees, special and foreign files. */
final class HostileJsonCases {
    private static final String DRIVERS = "\"drivers\": [{\"name\": \"d\"}]";
    private static final String SECRET = "SECRET_TOKEN_4711";

    private HostileJsonCases() {
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        for (int depth : new int[] {33, 1_000, 100_000, 5_000_000}) {
            c.add(refused("json-nested-arrays-" + depth + ".json", "check", "nested deeper than 32 levels",
                    d -> text(d, "json-nested-arrays-" + depth + ".json", "[".repeat(depth) + "]".repeat(depth))));
        }
        c.set(c.size() - 1, c.get(c.size() - 1).heavyToo());
        c.add(refused("json-nested-objects.json", "check", "nested deeper than 32 levels",
                d -> text(d, "json-nested-objects.json", "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000))));
        c.add(refused("json-deep-in-devices.json", "groups", "$.devices[0]",
                d -> text(d, "json-deep-in-devices.json", "{\"name\": \"x\", \"devices\": [" + "[".repeat(40)
                        + "]".repeat(40) + "], " + DRIVERS + "}")));
        for (int n : new int[] {65_537, 10_000_000}) {
            c.add(refused("json-long-name-" + n + ".json", "check", "a string longer than 65,536 characters",
                    d -> text(d, "json-long-name-" + n + ".json", "{\"name\": \"" + "x".repeat(n) + "\", \"devices\": [], "
                            + DRIVERS + "}")));
        }
        c.add(refused("json-long-key.json", "check", "a key longer than 65,536 characters",
                d -> text(d, "json-long-key.json", "{\"" + "k".repeat(100_000) + "\": 1}")));
        for (int digits : new int[] {41, 100_000}) {
            c.add(refused("json-long-number-" + digits + ".json", "check", "a number longer than 40 digits",
                    d -> text(d, "json-long-number-" + digits + ".json", topology("\"group\": " + "9".repeat(digits)))));
        }
        for (String group : new String[] {"1099511627776", "2147483648", "-1", "-9223372036854775808", "1048576",
                "1e99999", "1.5", "\"7\""}) {
            String name = "json-group-" + group.replace("\"", "q") + ".json";
            c.add(refused(name, "groups", "$.devices[0].group", d -> text(d, name, topology("\"group\": " + group))));
        }
        c.add(read("json-group-at-limit.json", "groups", "IOMMU group 1048575",
                d -> text(d, "json-group-at-limit.json", topology("\"group\": 1048575"))));
        c.add(refused("json-larger-than-16MiB.json", "check", "larger than the limit of 16 MiB",
                d -> text(d, "json-larger-than-16MiB.json", " ".repeat(16 << 20) + "{}")));
        c.add(refused("json-million-values.json", "check", "more than 1,000,000 JSON values",
                d -> text(d, "json-million-values.json", "{\"name\": \"x\", \"devices\": [" + "0,".repeat(1_000_001)
                        + "0], " + DRIVERS + "}")).heavyToo());
        c.add(refused("json-100001-devices.json", "check", "more than 100,000 devices",
                d -> text(d, "json-100001-devices.json", "{\"name\": \"x\", \"devices\": [" + "{},".repeat(100_000)
                        + "{}], " + DRIVERS + "}")));
        c.add(refused("json-10001-drivers.json", "check", "more than 10,000 drivers",
                d -> text(d, "json-10001-drivers.json", "{\"name\": \"x\", \"devices\": [], \"drivers\": ["
                        + "{},".repeat(10_000) + "{}]}")));
        c.add(refused("json-100001-groups.json", "check", "more than 100,000 groups",
                d -> text(d, "json-100001-groups.json", "{\"name\": \"x\", \"devices\": [], " + DRIVERS
                        + ", \"groups\": [" + "{},".repeat(100_000) + "{}]}")));
        c.add(refused("json-100001-steps.json", "check", "more than 100,000 steps",
                d -> scenario(d, "json-100001-steps.json", "{},".repeat(100_000) + "{}")));
        c.add(refused("json-million-steps.json", "replay", "more than 1,000,000 JSON values",
                d -> scenario(d, "json-million-steps.json", "{},".repeat(999_999) + "{}")));
        c.add(read("json-100000-steps-replayed.json", "replay", "(kernel 6.1, 100000 steps)",
                d -> scenario(d, "json-100000-steps-replayed.json",
                        "{\"do\": \"vfio_open_container\", \"handle\": \"C\"},".repeat(99_999)
                                + "{\"do\": \"vfio_open_container\", \"handle\": \"C\"}")).heavyToo());
        for (int depth : new int[] {257, 60_000}) {
            c.add(refused("json-bridge-chain-" + depth + ".json", "groups", "deeper than 256 levels",
                    d -> text(d, "json-bridge-chain-" + depth + ".json", chain(depth))));
        }
        c.set(c.size() - 1, c.get(c.size() - 1).heavyToo());
        c.add(read("json-bridge-chain-256.json", "groups", "IOMMU group", d -> text(d, "json-bridge-chain-256.json",
                chain(256))));
        c.add(refused("json-cycle-50000.json", "check", "is its own ancestor", d -> text(d, "json-cycle-50000.json",
                cycle(50_000))));
        c.add(refused("json-nul-in-name.json", "check", "a NUL character",
                d -> text(d, "json-nul-in-name.json", topology("\"name\": \"gpu\\u0000x\""))));
        c.add(refused("json-nul-in-driver.json", "check", "a NUL character",
                d -> text(d, "json-nul-in-driver.json", "{\"name\": \"x\", \"devices\": [], \"drivers\": [{\"name\": "
                        + "\"a\\u0000b\"}]}")));
        c.add(refused("json-nul-in-key.json", "check", "a NUL character",
                d -> text(d, "json-nul-in-key.json", "{\"na\\u0000me\": 1}")));
        c.add(refused("json-invalid-utf8.json", "check", "not UTF-8",
                d -> HostileCorpus.bytes(d, "json-invalid-utf8.json", new byte[] {'{', '"', (byte) 0xc3, '"', '}'})));
        c.add(refused("json-utf16.json", "check", "not UTF-8",
                d -> HostileCorpus.bytes(d, "json-utf16.json", "{\"name\": 1}".getBytes(
                        java.nio.charset.StandardCharsets.UTF_16))));
        c.add(refused("json-empty.json", "check", "the file is empty", d -> text(d, "json-empty.json", "")));
        c.add(refused("json-blank.json", "check", "the file is empty", d -> text(d, "json-blank.json", " \n\t ")));
        c.add(refused("json-open-brace.json", "check", "invalid JSON", d -> text(d, "json-open-brace.json", "{")));
        c.add(refused("json-duplicate-keys.json", "check", "duplicate key",
                d -> text(d, "json-duplicate-keys.json", "{\"name\": 1, \"name\": 2}")));
        c.add(refused("json-two-documents.json", "check", "after the end of the top-level value",
                d -> text(d, "json-two-documents.json", "{}{}")));
        c.add(refused("json-control-characters.json", "check", "invalid JSON",
                d -> text(d, "json-control-characters.json", "{\"name\": \"a\u001b[2Jb\"}")));
        c.add(read("json-escapes-in-names.json", "groups", "IOMMU group",
                d -> text(d, "json-escapes-in-names.json", topology("\"name\": \"\\u001b[2J\\r\\u0007x\""))));
        c.add(read("json-byte-order-mark.json", "check", "ok:",
                d -> text(d, "json-byte-order-mark.json", "\uFEFF" + topology("\"name\": \"x\""))));
        c.addAll(referencedTopologies());
        return c;
    }

    /** Scenarios whose "topology" names files that are not machine files, or not files at all. */
    private static List<Case> referencedTopologies() {
        List<Case> c = new ArrayList<>();
        c.add(refused("ref-fifo.json", "check", "is a FIFO (named pipe)", d -> {
            HostileCorpus.fifo(d.resolve("pipe"));
            return scenarioNaming(d, "ref-fifo.json", "pipe");
        }).heavyToo());
        c.add(refused("ref-dev-zero.json", "check", "is a character device",
                d -> scenarioNaming(d, "ref-dev-zero.json", "/dev/zero")).heavyToo());
        c.add(refused("ref-proc-environ.json", "check", "a kernel pseudo-file system",
                d -> scenarioNaming(d, "ref-proc-environ.json", "/proc/self/environ")));
        c.add(refused("ref-secret-text.json", "check", "not a machine file the importers read", d -> {
            text(d, "token.txt", SECRET + " and more\n");
            return scenarioNaming(d, "ref-secret-text.json", "token.txt");
        }).withSecret(SECRET));
        c.add(refused("ref-secret-json.json", "check", "is JSON but not an iommufx topology", d -> {
            text(d, "config.json", "{\"auths\": {\"" + SECRET + "\": \"" + SECRET + "\"}}");
            return scenarioNaming(d, "ref-secret-json.json", "config.json");
        }).withSecret(SECRET));
        c.add(refused("ref-secret-bad-json.json", "check", "not valid JSON here", d -> {
            text(d, "notes.json", "{" + SECRET + "}");
            return scenarioNaming(d, "ref-secret-bad-json.json", "notes.json");
        }).withSecret(SECRET));
        c.add(refused("ref-secret-xml.json", "check", "not a machine file the importers read", d -> {
            text(d, "keys.xml", "<" + SECRET + "><a></" + SECRET + "x>");
            return scenarioNaming(d, "ref-secret-xml.json", "keys.xml");
        }).withSecret(SECRET));
        c.add(refused("ref-etc-passwd.json", "check", "not a machine file", d -> scenarioNaming(d,
                "ref-etc-passwd.json", "/etc/passwd")).withSecret("root:"));
        c.add(refused("ref-socket.json", "check", "is a socket", d -> {
            HostileCorpus.socket(d.resolve("sock"));
            return scenarioNaming(d, "ref-socket.json", "sock");
        }));
        c.add(refused("ref-missing.json", "check", "cannot find topology file",
                d -> scenarioNaming(d, "ref-missing.json", "nowhere.json")));
        c.add(refused("ref-nul-path.json", "check", "a NUL character",
                d -> scenarioNaming(d, "ref-nul-path.json", "a\\u0000b")));
        c.add(refused("ref-a-scenario.json", "check", "is JSON but not an iommufx topology", d -> {
            scenarioNaming(d, "other.json", "t.json");
            return scenarioNaming(d, "ref-a-scenario.json", "other.json");
        }));
        c.add(refused("ref-not-sysfs-directory.json", "check", "no sys/bus/pci/devices", d -> {
            Files.createDirectories(d.resolve("empty"));
            return scenarioNaming(d, "ref-not-sysfs-directory.json", "empty");
        }));
        c.add(refused("ref-too-large.json", "check", "larger than the limit of 16 MiB", d -> {
            text(d, "big.json", "{" + " ".repeat(17 << 20) + "}");
            return scenarioNaming(d, "ref-too-large.json", "big.json");
        }));
        c.add(read("ref-a-listing.json", "check", "ok:", d -> {
            text(d, "groups.txt", "IOMMU Group 1 00:01.0 PCI bridge [0604]: Intel [8086:1901]\n");
            return scenarioNaming(d, "ref-a-listing.json", "groups.txt");
        }));
        return c;
    }

    /** One device, with the given field; a valid topology otherwise. */
    static String topology(String field) {
        return "{\"name\": \"x\", \"devices\": [{\"id\": \"0000:00:01.0\", " + field + "}], " + DRIVERS
                + ", \"groups\": [{\"id\": 1}, {\"id\": 1048575}]}";
    }

    private static Path scenario(Path dir, String name, String steps) throws IOException {
        text(dir, "t.json", "{\"name\": \"t\", \"devices\": [{\"id\": \"0000:00:01.0\"}], " + DRIVERS + "}");
        return text(dir, name, "{\"title\": \"t\", \"topology\": \"t.json\", \"steps\": [" + steps + "]}");
    }

    private static Path scenarioNaming(Path dir, String name, String topology) throws IOException {
        if (!Files.exists(dir.resolve("t.json"))) {
            text(dir, "t.json", "{\"name\": \"t\", \"devices\": [{\"id\": \"0000:00:01.0\"}], " + DRIVERS + "}");
        }
        return text(dir, name, "{\"title\": \"t\",\n \"topology\": \"" + topology + "\",\n \"steps\": []}");
    }

    /** Bridges below bridges, {@code depth} devices from the root down. */
    private static String chain(int depth) {
        StringBuilder b = new StringBuilder("{\"name\": \"chain\", \"devices\": [");
        for (int i = 0; i < depth; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\": \"").append(id(i)).append("\", \"class\": \"060400\"")
                    .append(i == 0 ? "" : ", \"parent\": \"" + id(i - 1) + "\"").append('}');
        }
        return b.append("], ").append(DRIVERS).append("}").toString();
    }

    /** A device id per index: domains, buses, slots and functions enough for 65,536 per domain. */
    private static String id(int i) {
        return String.format("%04x:%02x:%02x.%x", i >> 16, (i >> 8) & 0xff, (i >> 3) & 0x1f, i & 7);
    }

    private static String cycle(int n) {
        StringBuilder b = new StringBuilder("{\"name\": \"cycle\", \"devices\": [");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("{\"id\": \"").append(id(i)).append("\", \"parent\": \"")
                    .append(id((i + 1) % n)).append("\"}");
        }
        return b.append("], ").append(DRIVERS).append("}").toString();
    }
}
