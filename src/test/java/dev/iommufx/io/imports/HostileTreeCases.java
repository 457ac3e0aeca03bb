package dev.iommufx.io.imports;

import static dev.iommufx.io.imports.HostileCorpus.bytes;
import static dev.iommufx.io.imports.HostileCorpus.read;
import static dev.iommufx.io.imports.HostileCorpus.refused;

import dev.iommufx.io.imports.HostileCorpus.Case;
import dev.iommufx.io.imports.HostileCorpus.GzipTar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Hostile snapshot archives and unpacked snapshot directories, and special files named directly. */
final class HostileTreeCases {
    private static final String DEV = "sys/devices/pci0000:00/0000:00:01.0";

    private HostileTreeCases() {
    }

    static List<Case> cases() {
        List<Case> c = new ArrayList<>();
        archives(c);
        sysfsValues(c);
        directories(c);
        special(c);
        return c;
    }

    /** A one-device snapshot with extra entries before the end. */
    static TarWriter snapshot(String group) {
        return new TarWriter().file(DEV + "/vendor", "0x8086\n").file(DEV + "/device", "0x1901\n")
                .file(DEV + "/class", "0x060400\n").symlink(DEV + "/iommu_group", "../../../kernel/iommu_groups/" + group)
                .symlink("sys/bus/pci/devices/0000:00:01.0", "../../../devices/pci0000:00/0000:00:01.0")
                .dir("sys/kernel/iommu_groups/" + group + "/devices")
                .symlink("sys/kernel/iommu_groups/" + group + "/devices/0000:00:01.0",
                        "../../../../devices/pci0000:00/0000:00:01.0");
    }

    private static void archives(List<Case> c) {
        c.add(refused("tar-thousands-of-1MiB-members.tar.gz", "groups", "of files to keep (the limit)", d -> {
            Path p = d.resolve("tar-thousands-of-1MiB-members.tar.gz");
            try (GzipTar t = new GzipTar(p)) {
                for (int i = 0; i < 3_000; i++) {
                    t.data("sys/junk/" + i, 1 << 20, (byte) 'a');
                }
            }
            return p;
        }).heavyToo());
        c.add(refused("tar-expands-past-1GiB.tar.gz", "groups", "after decompression (the limit)", d -> {
            Path p = d.resolve("tar-expands-past-1GiB.tar.gz");
            try (GzipTar t = new GzipTar(p)) {
                t.data("sys/huge", (1L << 30) + 4096, (byte) 'b');
            }
            return p;
        }).heavyToo());
        c.add(read("tar-200000-hard-links.tar.gz", "groups", "hard link to sys/x skipped", d -> {
            Path p = d.resolve("tar-200000-hard-links.tar.gz");
            try (GzipTar t = new GzipTar(p)) {
                t.out().write(snapshot("1").unterminated());
                for (int i = 0; i < 200_000; i++) {
                    t.header("sys/h" + i, '1', "sys/x");
                }
            }
            return p;
        }).heavyToo());
        c.add(refused("tar-262145-members.tar.gz", "groups", "more than 262,144 members", d -> {
            Path p = d.resolve("tar-262145-members.tar.gz");
            try (GzipTar t = new GzipTar(p)) {
                for (int i = 0; i <= 262_144; i++) {
                    t.header("d" + i + "/", '5', "");
                }
            }
            return p;
        }).heavyToo());
        c.add(read("tar-100000-group-directories.tar.gz", "groups", "IOMMU group 1", d -> {
            Path p = d.resolve("tar-100000-group-directories.tar.gz");
            try (GzipTar t = new GzipTar(p)) {
                t.out().write(snapshot("1").unterminated());
                for (int i = 2; i < 100_002; i++) {
                    t.header("sys/kernel/iommu_groups/" + i + "/devices/", '5', "");
                }
            }
            return p;
        }).heavyToo());
        c.add(refused("tar-pax-500000-components.tar", "groups", "pax header", d -> bytes(d,
                "tar-pax-500000-components.tar", new TarWriter().pax("path", "a/".repeat(500_000) + "x")
                        .file("placeholder", "x").tar())).heavyToo());
        c.add(refused("tar-pax-5000-byte-path.tar", "groups", "a path of 5001 characters", d -> bytes(d,
                "tar-pax-5000-byte-path.tar", new TarWriter().pax("path", "a".repeat(5_001)).file("p", "x").tar())));
        c.add(refused("tar-implied-directories.tar", "groups", "counting those the paths imply", d -> {
            TarWriter t = snapshot("1");
            for (int i = 0; i < 132; i++) {
                t.pax("path", "d" + i + "/" + "a/".repeat(2_000) + "f").file("f", "x");
            }
            return bytes(d, "tar-implied-directories.tar", t.tar());
        }));
        c.add(refused("tar-larger-than-256MiB.tar.gz", "groups", "(the limit is 256 MiB)", d -> {
            Path p = d.resolve("tar-larger-than-256MiB.tar.gz");
            try (java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(p, java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.position(256L << 20); // a sparse file: nothing written but its last byte
                ch.write(java.nio.ByteBuffer.wrap(new byte[] {1}));
            }
            return p;
        }));
        c.add(refused("tar-gnu-long-name-1MiB.tar", "groups", "long name", d -> bytes(d, "tar-gnu-long-name-1MiB.tar",
                new TarWriter().gnuLong('L', "n".repeat(1 << 20)).file("p", "x").tar())));
        c.add(refused("tar-long-link-target.tar", "groups", "a long name of 6001 bytes", d -> bytes(d, "tar-long-link-target.tar",
                snapshot("1").gnuLong('K', "../".repeat(2_000)).symlink("sys/x", "y").tar())));
        c.add(read("tar-2000-component-path.tar", "groups", "IOMMU group 1", d -> bytes(d, "tar-2000-component-path.tar",
                snapshot("1").dir("a/".repeat(2_000)).symlink("sys/loop", "/" + "../".repeat(1_300) + "sys/loop")
                        .tar())));
        c.add(read("tar-link-loop.tar", "groups", "IOMMU group 1", d -> bytes(d, "tar-link-loop.tar", snapshot("1")
                .symlink("sys/bus/pci/devices/0000:00:02.0", "../../../../sys/bus/pci/devices/0000:00:02.0")
                .symlink("sys/bus/pci/devices/0000:00:03.0", "0000:00:04.0")
                .symlink("sys/bus/pci/devices/0000:00:04.0", "0000:00:03.0").tar())));
        c.add(read("tar-links-escape-root.tar", "groups", "IOMMU group 1", d -> bytes(d, "tar-links-escape-root.tar",
                snapshot("1").symlink("sys/bus/pci/devices/0000:00:05.0", "/etc")
                        .symlink("sys/bus/pci/devices/0000:00:06.0", "../../../../../../../../../../proc/self").tar())));
        c.add(read("tar-truncated.tar", "groups", "truncated", d -> {
            byte[] t = snapshot("1").tar();
            return bytes(d, "tar-truncated.tar", java.util.Arrays.copyOf(t, t.length - 1024 - 300));
        }));
        c.add(refused("tar-bad-checksum.tar", "groups", "bad tar header checksum", d -> {
            byte[] t = snapshot("1").tar();
            t[10] ^= 1;
            return bytes(d, "tar-bad-checksum.tar", t);
        }));
        c.add(refused("tar-random.tar", "groups", "", d -> bytes(d, "tar-random.tar",
                HostileTextCases.randomBytes(100_000, 2))));
        c.add(refused("tar-gzip-of-random.tar.gz", "groups", "", d -> bytes(d, "tar-gzip-of-random.tar.gz",
                TarWriter.gzip(HostileTextCases.randomBytes(100_000, 3)))));
        c.add(refused("tar-not-gzip.tar.gz", "groups", "", d -> bytes(d, "tar-not-gzip.tar.gz",
                new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3})));
        c.add(refused("tar-huge-size-field.tar", "groups", "", d -> {
            byte[] t = new TarWriter().file("sys/x", "x").tar();
            t[124] = (byte) 0xff; // base-256: an enormous size
            HostileCorpus.fixChecksum(t);
            return bytes(d, "tar-huge-size-field.tar", t);
        }));
        for (String record : new String[] {"1 ", "3 x", "99999999999 path=x\n", "-5 path=x\n", "0 path=x\n"}) {
            String name = "tar-pax-record-" + record.strip().replace(' ', '_').replace("\n", "") + ".tar";
            c.add(read(name, "groups", "IOMMU group 1", d -> bytes(d, name, snapshot("1").entry("PaxHeaders/x", 'x',
                    record.getBytes(StandardCharsets.UTF_8), "", "").file("sys/y", "y").tar())));
        }
        c.add(refused("tar-300-level-bridge-chain.tar", "groups", "levels below its root bus", d -> {
            TarWriter t = new TarWriter();
            StringBuilder path = new StringBuilder("sys/devices/pci0000:00");
            for (int i = 0; i < 300; i++) {
                String id = String.format("%04x:%02x:00.0", i >> 8, i & 0xff);
                path.append('/').append(id);
                t.pax("path", path + "/class").file("x", "0x060400\n");
                t.pax("linkpath", "../../../" + path.substring(4)).symlink("sys/bus/pci/devices/" + id, "x");
            }
            return bytes(d, "tar-300-level-bridge-chain.tar", t.tar());
        }));
    }

    /** Values inside a snapshot: group names and links, hex files. */
    private static void sysfsValues(List<Case> c) {
        for (String g : new String[] {"-1", "99999999999", "abc", "1048576"}) {
            c.add(read("tar-group-dir-" + g + ".tar", "groups", "not a group number",
                    d -> bytes(d, "tar-group-dir-" + g + ".tar", snapshot(g).tar())));
        }
        for (String v : new String[] {"0x-1", "ffffffffffff", "0x", "SECRET".repeat(3_000)}) {
            String name = "tar-vendor-" + v.substring(0, Math.min(v.length(), 12)) + ".tar";
            c.add(read(name, "groups", "IOMMU group 1", d -> bytes(d, name, snapshot("1").file(DEV + "/vendor", v)
                    .tar())));
        }
        c.add(read("tar-config-1MiB.tar", "groups", "IOMMU group 1", d -> bytes(d, "tar-config-1MiB.tar",
                snapshot("1").entry(DEV + "/config", '0', new byte[1 << 20], "", "").tar())));
        c.add(read("tar-config-loop.tar", "groups", "IOMMU group 1", d -> {
            byte[] cfg = new byte[4096];
            cfg[6] = 0x10; // a capability list
            cfg[0x34] = 0x40;
            cfg[0x40] = 0x01;
            cfg[0x41] = 0x40; // points at itself
            for (int i = 0x100; i < 4096; i += 4) {
                cfg[i] = 0x01;
                cfg[i + 2] = 0x01;
                cfg[i + 3] = 0x10; // next at 0x100 again
            }
            return bytes(d, "tar-config-loop.tar", snapshot("1").entry(DEV + "/config", '0', cfg, "", "").tar());
        }));
    }

    /** Unpacked snapshot directories with special files where sysfs has regular ones. */
    private static void directories(List<Case> c) {
        for (String where : new String[] {"vendor", "config", "driver_override"}) {
            c.add(read("dir-fifo-as-" + where, "groups", "IOMMU group 1", d -> {
                Path root = unpack(d.resolve("dir-fifo-as-" + where), snapshot("1"));
                Files.deleteIfExists(root.resolve(DEV + "/" + where));
                HostileCorpus.fifo(root.resolve(DEV + "/" + where));
                return root;
            }).heavyToo());
        }
        c.add(read("dir-fifo-as-group-type", "groups", "IOMMU group 1", d -> {
            Path root = unpack(d.resolve("dir-fifo-as-group-type"), snapshot("1"));
            HostileCorpus.fifo(root.resolve("sys/kernel/iommu_groups/1/type"));
            return root;
        }));
        c.add(read("dir-socket-as-config", "groups", "IOMMU group 1", d -> {
            Path root = unpack(d.resolve("dir-socket-as-config"), snapshot("1"));
            HostileCorpus.socket(root.resolve(DEV + "/config"));
            return root;
        }));
        c.add(read("dir-link-to-dev-zero", "groups", "IOMMU group 1", d -> {
            Path root = unpack(d.resolve("dir-link-to-dev-zero"), snapshot("1"));
            Files.createSymbolicLink(root.resolve(DEV + "/config"), Path.of("/dev/zero"));
            return root;
        }));
        c.add(read("dir-link-loop", "groups", "IOMMU group 1", d -> {
            Path root = unpack(d.resolve("dir-link-loop"), snapshot("1"));
            Files.createSymbolicLink(root.resolve("sys/bus/pci/devices/0000:00:02.0"), Path.of("0000:00:02.0"));
            return root;
        }));
        c.add(refused("dir-not-a-snapshot", "groups", "no sys/bus/pci/devices", d -> {
            Path root = Files.createDirectories(d.resolve("dir-not-a-snapshot/else"));
            return root.getParent();
        }));
    }

    /** Special files named on the command line. */
    private static void special(List<Case> c) {
        for (String cmd : new String[] {"groups", "check", "replay"}) {
            c.add(refused("fifo-given-to-" + cmd, cmd, "is a FIFO (named pipe)",
                    d -> HostileCorpus.fifo(d.resolve("fifo-given-to-" + cmd))).heavyToo());
        }
        c.add(refused("socket-given", "groups", "is a socket", d -> HostileCorpus.socket(d.resolve("socket-given"))));
        c.add(refused("dev-zero-given", "groups", "is a character device", d -> Path.of("/dev/zero")).heavyToo());
        c.add(refused("dev-null-given", "check", "is a character device", d -> Path.of("/dev/null")));
        c.add(refused("fifo-named-json", "check", "is a FIFO (named pipe)",
                d -> HostileCorpus.fifo(d.resolve("fifo-named.json"))));
        c.add(refused("link-to-fifo.json", "check", "is a FIFO (named pipe)", d -> {
            Path fifo = HostileCorpus.fifo(d.resolve("pipe"));
            return Files.createSymbolicLink(d.resolve("link-to-fifo.json"), fifo);
        }));
        c.add(refused("proc-environ-given", "groups", "no IOMMU group listing", d -> Path.of("/proc/self/environ"))
                .withSecret("PATH="));
        c.add(refused("missing-file", "groups", "no such file", d -> d.resolve("missing-file")));
    }

    /** An unpacked snapshot: the archive's entries as files, directories and links under {@code root}. */
    static Path unpack(Path root, TarWriter tar) throws IOException {
        for (TarArchive.Entry e : Snapshots.entries(tar.tar())) {
            Path p = root.resolve(e.name());
            Files.createDirectories(e.type() == '5' ? p : p.getParent());
            if (e.type() == '2') {
                Files.createSymbolicLink(p, Path.of(e.linkTarget()));
            } else if (e.type() == '0') {
                Files.write(p, e.data());
            }
        }
        return root;
    }
}
