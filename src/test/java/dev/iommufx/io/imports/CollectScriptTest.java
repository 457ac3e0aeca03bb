package dev.iommufx.io.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code collect-iommu-snapshot} run by {@code sh} and {@code dash} against a fake sysfs (a fixture snapshot
 * unpacked into a directory whose path has spaces, passed as SYSFS_ROOT): the archive it writes must hold the
 * same entries as the fixture, import to the same machine, and the fake sysfs must be left untouched.
 */
class CollectScriptTest {
    private static final Path SCRIPT = Path.of("collect-iommu-snapshot").toAbsolutePath();

    record Run(int exit, String out, String err) {
    }

    static Stream<String> shells() {
        return Stream.of("sh", "dash", "bash").filter(CollectScriptTest::installed);
    }

    private static boolean installed(String shell) {
        return Stream.of("/bin", "/usr/bin").anyMatch(d -> Files.isExecutable(Path.of(d, shell)));
    }

    private static Run run(Path cwd, String sysfsRoot, String... command) throws IOException, InterruptedException {
        return run(cwd, sysfsRoot, null, command);
    }

    /**
     * Runs the script on a fake machine: SYSFS_ROOT, PROC_ROOT next to it, and a {@code dmesg} on PATH that prints
     * the fake machine's {@code dmesg.txt} (or fails, as for a user who may not read the kernel log).
     */
    private static Run run(Path cwd, String sysfsRoot, Path fakeMachine, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        if (sysfsRoot != null) {
            pb.environment().put("SYSFS_ROOT", sysfsRoot);
            Path machine = fakeMachine != null ? fakeMachine : Path.of(sysfsRoot).getParent();
            pb.environment().put("PROC_ROOT", machine.resolve("proc").toString());
            Path bin = Files.createDirectories(cwd.resolveSibling(cwd.getFileName() + "-bin"));
            Path log = machine.resolve("dmesg.txt");
            Files.writeString(bin.resolve("dmesg"), Files.exists(log)
                    ? "#!/bin/sh\ncat '" + log + "'\n" : "#!/bin/sh\necho 'dmesg: read kernel buffer failed' >&2\nexit 1\n");
            bin.resolve("dmesg").toFile().setExecutable(true);
            pb.environment().put("PATH", bin + ":" + pb.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        }
        pb.environment().put("TMPDIR", cwd.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    private static List<String> entryNames(Path archive) throws IOException {
        List<String> names = new ArrayList<>();
        for (TarArchive.Entry e : Snapshots.entries(archive, new ArrayList<>())) {
            names.add(e.name().replaceAll("/$", "") + (e.type() == '2' ? " -> " + e.linkTarget() : ""));
        }
        return names.stream().sorted().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void snapshotOfAFakeSysfsImportsLikeTheFixture(String shell, @TempDir Path tmp) throws Exception {
        assumeTrue(installed("tar"), "tar is needed by the script");
        Path fake = tmp.resolve("fake sysfs root");
        Path out = tmp.resolve("out dir");
        Files.createDirectories(out);
        Snapshots.extract(Snapshots.archive("T5-switch"), fake);
        var before = Snapshots.listing(fake);

        String[] command = shell.equals("bash") ? new String[] {"bash", "--posix", SCRIPT.toString()}
                : new String[] {shell, SCRIPT.toString()};
        Run r = run(out, fake.resolve("sys").toString(), command);

        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("10 PCI devices, 6 IOMMU groups");
        List<Path> archives;
        try (Stream<Path> s = Files.list(out)) {
            archives = s.filter(p -> p.getFileName().toString().matches("iommu-snapshot-.+-\\d{8}-\\d{6}\\.tar\\.gz"))
                    .toList();
        }
        assertThat(archives).hasSize(1);
        try (Stream<Path> s = Files.list(out)) {
            assertThat(s.count()).as("no temporary files left behind").isEqualTo(1);
        }
        assertThat(Snapshots.listing(fake)).as("the fake sysfs is only read").isEqualTo(before);
        assertThat(entryNames(archives.get(0))).isEqualTo(entryNames(Snapshots.archive("T5-switch")));

        ImportResult mine = Importers.open(archives.get(0));
        ImportResult fixture = SysfsImporter.importArchive(Snapshots.archive("T5-switch"));
        assertThat(mine.notes()).isEmpty();
        assertThat(mine.topology().devices()).isEqualTo(fixture.topology().devices());
        assertThat(mine.topology().groups()).isEqualTo(fixture.topology().groups());
        assertThat(mine.topology().drivers()).isEqualTo(fixture.topology().drivers());
    }

    /**
     * The layout of the richer snapshots (fixtures/kernel-6.1-machines: a real 6.1 kernel's sysfs with
     * reset_method, boot_vga, SR-IOV attributes, the IOMMU units, the VFIO parameters, /proc and the kernel log):
     * the collector copies every file of it but the interrupt numbers (irq, msi_irqs), and from the kernel log
     * only the lines about the IOMMU and VFIO.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shells")
    void theRicherLayoutIsCollectedWholeFromAFakeMachine(String shell, @TempDir Path tmp) throws Exception {
        Path fake = tmp.resolve("fake machine");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path fixture = Snapshots.resource("/fixtures/kernel-6.1-machines/T7-workstation-dma.tar.gz");
        Snapshots.extract(fixture, fake);
        String[] command = shell.equals("bash") ? new String[] {"bash", "--posix", SCRIPT.toString()}
                : new String[] {shell, SCRIPT.toString()};

        Run r = run(out, fake.resolve("sys").toString(), fake, command);

        assertThat(r.exit()).as(r.err()).isZero();
        Path archive;
        try (Stream<Path> s = Files.list(out)) {
            archive = s.filter(p -> p.getFileName().toString().endsWith(".tar.gz")).findFirst().orElseThrow();
        }
        List<String> expected = entryNames(fixture).stream()
                .filter(n -> !n.endsWith("/irq") && !n.contains("/msi_irqs")).toList();
        assertThat(entryNames(archive)).isEqualTo(expected);
        List<TarArchive.Entry> entries = Snapshots.entries(archive, new ArrayList<>());
        String log = entries.stream().filter(e -> e.name().equals("dmesg.txt")).map(e -> new String(e.data(),
                StandardCharsets.UTF_8)).findFirst().orElseThrow();
        assertThat(log).contains("DMAR: IOMMU enabled", "Command line:").doesNotContain("BIOS-e820");
        String resetMethod = entries.stream().filter(e -> e.name().endsWith("0000:01:00.0/reset_method"))
                .map(e -> new String(e.data(), StandardCharsets.UTF_8)).findFirst().orElseThrow();
        assertThat(resetMethod).isEqualTo("bus\n");
    }

    @Test
    void withoutTheKernelLogTheSnapshotSaysSoAndGoesOn(@TempDir Path tmp) throws Exception {
        Path fake = tmp.resolve("fake");
        Snapshots.extract(Snapshots.archive("T1-rootports"), fake);
        Path out = Files.createDirectories(tmp.resolve("out"));
        Run r = run(out, fake.resolve("sys").toString(), "sh", SCRIPT.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("cannot read the kernel log (run as root): dmesg.txt is not in the snapshot");
    }

    @Test
    void usageSaysWhatNeedsRoot(@TempDir Path tmp) throws Exception {
        Run r = run(tmp, null, "sh", SCRIPT.toString(), "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("root").contains("64 bytes").contains("SYSFS_ROOT")
                .contains("iommu-snapshot-<hostname>-<date>.tar.gz");
        assertThat(run(tmp, null, "sh", SCRIPT.toString(), "--bogus").exit()).isEqualTo(2);
    }

    @Test
    void refusesASysfsRootWithoutPciAndWritingInsideSysfs(@TempDir Path tmp) throws Exception {
        Run none = run(tmp, tmp.resolve("nothing").toString(), "sh", SCRIPT.toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("bus/pci/devices not found");

        Path fake = tmp.resolve("fake");
        Snapshots.extract(Snapshots.archive("T1-rootports"), fake);
        Run inside = run(fake.resolve("sys/kernel"), fake.resolve("sys").toString(), "sh", SCRIPT.toString());
        assertThat(inside.exit()).isEqualTo(1);
        assertThat(inside.err()).contains("refusing to write");

        var before = Snapshots.listing(fake);
        ProcessBuilder pb = new ProcessBuilder("sh", SCRIPT.toString()).directory(tmp.toFile());
        pb.environment().put("SYSFS_ROOT", fake.resolve("sys").toString());
        pb.environment().put("TMPDIR", fake.resolve("sys/devices").toString());
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(err).contains("refusing to use a temporary directory inside");
        assertThat(Snapshots.listing(fake)).isEqualTo(before);
    }

    @Test
    void theScriptIsPosixShell() throws Exception {
        String text = Files.readString(SCRIPT);
        assertThat(text).startsWith("#!/bin/sh\n");
        assertThat(Files.isExecutable(SCRIPT)).isTrue();
        // the usual bashisms (checkbashisms' commonest findings)
        for (String bashism : List.of("[[", "]]", "function ", "local ", "<<<", "$'", "${!", "source ", "pushd",
                "declare ", "&>", "$RANDOM", "echo -e", "==")) {
            assertThat(text).as(bashism).doesNotContain(bashism);
        }
        assertThat(text).doesNotContainPattern("\\$\\{[A-Za-z_]+//");
        for (String shell : shells().toList()) {
            Run r = run(Path.of("."), null, shell, "-n", SCRIPT.toString());
            assertThat(r.exit()).as(shell + " -n: " + r.err()).isZero();
        }
    }
}
