package dev.iommufx.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every citation of the kernel model in the code, the tests, the scenario files and the documents names a
 * section that docs/kernel-model.md has: "kernel-model §4.7", or just "§4.7", "§7c.4", "§9 S1" (a worked
 * scenario), "§8 I12" (an invariant), and ranges such as "§4.3–§4.7" (every section in between). The model
 * defines a section with a heading that starts with its number ("### §4.7 ...", "### §9 S1 ...") or, for
 * invariants, a table row whose first cell is "§8 I12". Nothing may name the behaviour document the model
 * replaced; the project's own document is the one to cite.
 */
class KernelModelCitationsTest {
    static final Path MODEL = Path.of("docs", "kernel-model.md");
    /** Where citations live: the code, the tests, the bundled machines and scenarios, the documents. */
    static final List<Path> SCANNED = List.of(Path.of("src", "main"), Path.of("src", "test"), Path.of("topologies"),
            Path.of("README.md"), Path.of("docs"));
    /** This file: its parser tests cite sections that do not exist, on purpose. */
    static final Path SELF = Path.of("src", "test", "java", "dev", "iommufx", "docs", "KernelModelCitationsTest.java");
    /** The old document's name, split so that a search of the repository for it finds nothing. */
    static final String RETIRED_NAME = "kernel-" + "semantics";
    private static final Set<String> BINARY = Set.of("png", "gz", "jpg", "jar", "class");

    /** "§4.7", "§7c", "§7c.4", "§9 S1", "§8 I12"; the suffix is kept only after §9 (S) and §8 (I). */
    private static final Pattern CITATION = Pattern.compile("§(\\d+[a-z]?(?:\\.\\d+)?)(?: ([SI]\\d+))?");
    /** The end of a range right after a citation: "–§4.7", "-2.3", "–6.3". */
    private static final Pattern RANGE_END = Pattern.compile("[–-]§?(\\d+[a-z]?(?:\\.\\d+)?)");
    private static final Pattern HEADING = Pattern.compile("#{1,6} (§.*)");
    private static final Pattern TABLE_ROW = Pattern.compile("\\| (§.*?) \\|.*");

    @Test
    void everyCitationNamesASectionOfTheKernelModel() throws IOException {
        Set<String> defined = sectionsDefinedIn(Files.readString(MODEL, StandardCharsets.UTF_8));
        List<String> problems = new ArrayList<>();
        for (Path file : scannedFiles()) {
            problems.addAll(problems(defined, file.toString(), read(file)));
        }
        assertThat(problems).as("citations of docs/kernel-model.md that lead nowhere").isEmpty();
    }

    /** The scan is not vacuous: it finds the citations the engine and its tests are known to carry. */
    @Test
    void theScanReachesTheCitationsInCodeTestsAndScenarios() throws IOException {
        int inMain = 0;
        int inTests = 0;
        int inScenarios = 0;
        for (Path file : scannedFiles()) {
            int n = citedSections(read(file)).size();
            if (file.startsWith(Path.of("src", "main"))) {
                inMain += n;
            } else if (file.startsWith(Path.of("src", "test"))) {
                inTests += n;
            } else if (file.startsWith(Path.of("topologies"))) {
                inScenarios += n;
            }
        }
        assertThat(inMain).as("citations in src/main").isGreaterThan(50);
        assertThat(inTests).as("citations in src/test").isGreaterThan(100);
        assertThat(inScenarios).as("citations in topologies/").isGreaterThan(50);
    }

    @Test
    void theModelDefinesItsChaptersSectionsScenariosAndInvariants() throws IOException {
        Set<String> defined = sectionsDefinedIn(Files.readString(MODEL, StandardCharsets.UTF_8));
        assertThat(defined).contains("1", "1.3", "2.4", "3.10", "4.7", "5", "6.4", "7a", "7c.4", "7d", "8", "8 I12",
                "9", "9 S1", "9 S10");
    }

    // --- the parser, on small made-up inputs ---------------------------------------------------------

    @Test
    void headingsAndInvariantRowsDefineSections() {
        String doc = """
                # The kernel model
                ## §3 The IOMMU core
                ### §3.1 use
                #### §7c.4 mandatory default domains
                ### §9 S1 The canonical flow
                | § | invariant |
                |---|---|
                | §8 I2 | one user owner |
                Text that mentions §4.4 defines nothing.
                """;
        assertThat(sectionsDefinedIn(doc)).containsExactlyInAnyOrder("3", "3.1", "7c.4", "9 S1", "8 I2");
    }

    @Test
    void citationsAreReadInEveryFormTheProjectUses() {
        assertThat(citedSections("kernel-model §4.7, §9 S1's table, §8 I12 and §7c.4/§7a")).containsExactly(
                "4.7", "9 S1", "8 I12", "7c.4", "7a");
        assertThat(citedSections("\"note\": \"as \\u00a79 S5(c) says\"")).containsExactly("9 S5");
        assertThat(citedSections("§3.1–§3.3 and §6.2–6.3 and §2.2-2.3")).containsExactly(
                "3.1", "3.2", "3.3", "6.2", "6.3", "2.2", "2.3");
        assertThat(citedSections("§8 (I1–I11), §4 S2, section numbers (§) and §2.5.")).containsExactly(
                "8", "4", "2.5");
    }

    @Test
    void aCitationOfAMissingSectionIsReportedWithItsPlace() {
        Set<String> defined = Set.of("3", "3.1", "9 S1");
        List<String> found = problems(defined, "Foo.java", "// fine: §3.1\n// §9 S2 and §3.4\n");
        assertThat(found).containsExactly(
                "Foo.java:2: §9 S2 is not a section of docs/kernel-model.md",
                "Foo.java:2: §3.4 is not a section of docs/kernel-model.md");
        assertThat(problems(defined, "Bar.md", "a range §3–§5\n")).containsExactly(
                "Bar.md:1: §4 is not a section of docs/kernel-model.md",
                "Bar.md:1: §5 is not a section of docs/kernel-model.md");
    }

    @Test
    void theRetiredDocumentNameIsReported() {
        List<String> found = problems(Set.of("2"), "README.md", "see " + RETIRED_NAME + " §2\n");
        assertThat(found).containsExactly("README.md:1: names " + RETIRED_NAME + "; cite docs/kernel-model.md");
    }

    // --- the checker -------------------------------------------------------------------------------

    /** The section numbers a kernel-model document defines. */
    static Set<String> sectionsDefinedIn(String doc) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : doc.split("\n", -1)) {
            Matcher m = HEADING.matcher(line);
            Matcher row = TABLE_ROW.matcher(line);
            String start = m.matches() ? m.group(1) : row.matches() ? row.group(1) : null;
            if (start == null) {
                continue;
            }
            Matcher c = CITATION.matcher(start);
            if (c.lookingAt()) {
                out.add(section(c));
            }
        }
        return out;
    }

    /** The sections one text cites, in order; a range stands for every section in it. */
    static List<String> citedSections(String text) {
        String plain = text.replace("\\u00a7", "§").replace("\\u00A7", "§");
        List<String> out = new ArrayList<>();
        Matcher m = CITATION.matcher(plain);
        int from = 0;
        while (m.find(from)) {
            String start = section(m);
            Matcher end = RANGE_END.matcher(plain).region(m.end(), plain.length());
            if (end.lookingAt()) {
                out.addAll(range(start, end.group(1)));
                from = end.end(); // the range's end is read once, as part of the range
            } else {
                out.add(start);
                from = m.end();
            }
        }
        return out;
    }

    /** Every problem of one file: citations of sections the model lacks, and the retired document's name. */
    static List<String> problems(Set<String> defined, String file, String text) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String where = file + ":" + (i + 1) + ": ";
            if (lines[i].toLowerCase(java.util.Locale.ROOT).contains(RETIRED_NAME)) {
                out.add(where + "names " + RETIRED_NAME + "; cite docs/kernel-model.md");
            }
            for (String s : citedSections(lines[i])) {
                if (!defined.contains(s)) {
                    out.add(where + "§" + s + " is not a section of docs/kernel-model.md");
                }
            }
        }
        return out;
    }

    private static String section(Matcher m) {
        String id = m.group(1);
        String suffix = m.group(2);
        boolean fits = suffix != null && (suffix.startsWith("S") ? id.equals("9") : id.equals("8"));
        return fits ? id + " " + suffix : id;
    }

    /** "3.1".."3.4" → 3.1, 3.2, 3.3, 3.4; "3".."5" → 3, 4, 5; ranges of other shapes → both ends. */
    private static List<String> range(String from, String to) {
        int dotFrom = from.indexOf('.');
        int dotTo = to.indexOf('.');
        boolean numbered = from.matches("\\d+(\\.\\d+)?") && to.matches("\\d+(\\.\\d+)?");
        if (numbered && dotFrom < 0 && dotTo < 0) {
            return numbers("", Integer.parseInt(from), Integer.parseInt(to));
        }
        if (numbered && dotFrom > 0 && dotTo > 0 && from.substring(0, dotFrom).equals(to.substring(0, dotTo))) {
            return numbers(from.substring(0, dotFrom + 1), Integer.parseInt(from.substring(dotFrom + 1)),
                    Integer.parseInt(to.substring(dotTo + 1)));
        }
        return List.of(from, to);
    }

    private static List<String> numbers(String prefix, int from, int to) {
        List<String> out = new ArrayList<>();
        for (int n = from; n <= to && n - from < 100; n++) {
            out.add(prefix + n);
        }
        return out;
    }

    private static List<Path> scannedFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : SCANNED) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(Files::isRegularFile).filter(p -> !p.equals(SELF)).filter(p -> !isBinary(p))
                        .sorted().forEach(out::add);
            }
        }
        return out;
    }

    private static boolean isBinary(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot >= 0 && BINARY.contains(name.substring(dot + 1));
    }

    /** Decoding replaces bytes that are not UTF-8 (pci.ids may hold some) instead of failing. */
    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
