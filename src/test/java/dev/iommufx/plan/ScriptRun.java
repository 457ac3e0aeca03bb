package dev.iommufx.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a generated script with a shell, against a fake sysfs, in a clean environment: SYSFS points into the
 * temporary directory, PATH holds only a directory the test controls (so a real driverctl or modprobe can never
 * be reached), HOME and the working directory are inside the temporary directory too.
 */
record ScriptRun(int exitCode, String stdout, String stderr) {
    /** The shells the scripts are run with: POSIX sh always, and bash in POSIX mode when installed. */
    static List<List<String>> shells() {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("/bin/sh"));
        if (Files.isExecutable(Path.of("/bin/bash"))) {
            out.add(List.of("/bin/bash", "--posix"));
        }
        if (Files.isExecutable(Path.of("/bin/busybox"))) {
            out.add(List.of("/bin/busybox", "sh"));
        }
        return out;
    }

    static ScriptRun run(List<String> shell, String script, Path tmp, Path sysfs, Path bin) throws Exception {
        return run(shell, script, tmp, sysfs, bin, Map.of());
    }

    /** The same with more variables in the environment (ROOT for the persist script). */
    static ScriptRun run(List<String> shell, String script, Path tmp, Path sysfs, Path bin, Map<String, String> more)
            throws Exception {
        Path file = tmp.resolve("passthrough.sh");
        Files.writeString(file, script, StandardCharsets.UTF_8);
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path home = Files.createDirectories(tmp.resolve("home"));
        List<String> command = new ArrayList<>(shell);
        command.add(file.toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("SYSFS", sysfs.toString());
        env.put("PATH", bin.toString());
        env.put("HOME", home.toString());
        env.put("LC_ALL", "C.UTF-8");
        env.putAll(more);
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the script did not finish within 60 s");
        }
        return new ScriptRun(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Links the named tools of the system into {@code bin}, so a script run with PATH=bin finds only those. */
    static void linkTools(Path bin, String... tools) throws IOException {
        for (String tool : tools) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                Path real = Path.of(dir, tool);
                if (Files.isExecutable(real) && !Files.exists(bin.resolve(tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), real);
                }
            }
        }
    }

    /** A driverctl stand-in that appends each call's arguments, bracketed, as one line of {@code log}. */
    static void stubDriverctl(Path bin, Path log) throws IOException {
        Path stub = bin.resolve("driverctl");
        Files.writeString(stub, "#!/bin/sh\n"
                + "for a in \"$@\"; do printf '[%s]' \"$a\" >> " + ShellScriptExport.quote(log.toString()) + "; done\n"
                + "printf '\\n' >> " + ShellScriptExport.quote(log.toString()) + "\n", StandardCharsets.UTF_8);
        if (!stub.toFile().setExecutable(true)) {
            throw new IOException("cannot make the driverctl stub executable");
        }
    }

    /** Every file or directory under the roots whose name starts with PWNED. */
    static List<Path> pwned(Path... roots) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> all = Files.walk(root)) {
                all.filter(p -> p.getFileName() != null && p.getFileName().toString().startsWith("PWNED"))
                        .forEach(found::add);
            }
        }
        return found;
    }

    /** PWNED files in the directory the tests run in (the project): looked for at its top level only. */
    static List<Path> pwnedHere() throws IOException {
        try (Stream<Path> top = Files.list(Path.of("").toAbsolutePath())) {
            return top.filter(p -> p.getFileName().toString().startsWith("PWNED")).toList();
        }
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
}
