package dev.iommufx.io.imports;

import dev.iommufx.io.Limits;
import dev.iommufx.io.SafeFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Picks the importer for a file, a directory or pasted text by what it contains:
 * <ul>
 * <li>a directory holding {@code sys/} (an unpacked snapshot, or {@code /} for this machine), or a directory
 *     named {@code sys}: {@link SysfsImporter};</li>
 * <li>a gzip or tar file ({@code .tar.gz}, {@code .tgz}, {@code .tar}, or the gzip/ustar magic): a snapshot
 *     archive, {@link SysfsImporter};</li>
 * <li>XML whose root is hwloc's {@code <topology>}: {@link HwlocImporter}; other XML with {@code <device>}
 *     elements: {@link LibvirtNodedevImporter};</li>
 * <li>any other text: {@link ListingImporter}, which finds the listing formats in it.</li>
 * </ul>
 */
public final class Importers {
    private Importers() {
    }

    /**
     * Imports a directory, archive, XML or text file, choosing the importer by its content.
     *
     * @throws ImportException when the path holds nothing importable (the message says what was expected)
     * @throws IOException     when it cannot be read
     */
    public static ImportResult open(Path path) throws IOException, ImportException {
        SafeFiles.Kind kind = SafeFiles.kind(path);
        if (kind == SafeFiles.Kind.DIRECTORY) {
            return SysfsImporter.importDirectory(path);
        }
        if (kind == SafeFiles.Kind.MISSING) {
            throw new ImportException(path.toString(), "no such file or directory");
        }
        if (kind != SafeFiles.Kind.FILE) {
            throw new ImportException(path.toString(), "is " + kind.description() + ", not a regular file");
        }
        String name = path.getFileName() == null ? path.toString() : path.getFileName().toString();
        if (isArchive(path, name)) {
            long size = Files.size(path);
            if (size > Limits.ARCHIVE_BYTES) {
                throw new ImportException(name, "an archive of " + size + " bytes (the limit is "
                        + Limits.bytes(Limits.ARCHIVE_BYTES) + ")");
            }
            try (InputStream in = SafeFiles.open(path)) {
                return SysfsImporter.importArchive(in, name);
            }
        }
        byte[] bytes;
        try {
            bytes = SafeFiles.read(path, Limits.TEXT_BYTES);
        } catch (SafeFiles.Refused e) {
            throw new ImportException(name, e.problem() + " for a listing or XML");
        }
        return parseText(new String(bytes, StandardCharsets.UTF_8), name);
    }

    /** Imports pasted text: XML (libvirt, hwloc) or listings. */
    public static ImportResult parseText(String text) throws ImportException {
        return parseText(text, "pasted text");
    }

    /** @param source how notes name the text */
    public static ImportResult parseText(String text, String source) throws ImportException {
        if (text == null || text.isBlank()) {
            throw new ImportException(source, "the text is empty: nothing to import");
        }
        String t = text.strip();
        if (t.startsWith("\uFEFF")) {
            t = t.substring(1).strip();
        }
        if (!t.startsWith("<") && t.contains("<device") && ListingImporter.detect(text).isEmpty()) {
            t = afterPrompt(t); // "$ virsh nodedev-dumpxml ..." pasted before the XML
        }
        if (t.startsWith("<")) {
            if (isHwloc(t)) {
                return HwlocImporter.importText(t, source);
            }
            if (t.contains("<device")) {
                return LibvirtNodedevImporter.importText(t, source);
            }
            throw new ImportException(source, "XML, but neither libvirt node-device XML (<device>) nor hwloc XML"
                    + " (<topology>)");
        }
        if (t.startsWith("{")) {
            throw new ImportException(source, "JSON: an iommufx topology or scenario file is opened as such,"
                    + " not imported");
        }
        return ListingImporter.importText(text, source);
    }

    /** The text from the first line that starts with {@code <} (after blanks) on; the text itself if none does. */
    private static String afterPrompt(String t) {
        int start = 0;
        while (start < t.length()) {
            int end = t.indexOf('\n', start);
            end = end < 0 ? t.length() : end;
            String line = t.substring(start, end).strip();
            if (line.startsWith("<")) {
                return t.substring(start).strip();
            }
            start = end + 1;
        }
        return t;
    }

    /**
     * The root element is hwloc's {@code <topology>}: skips declarations, processing instructions, comments
     * and the DOCTYPE in one pass (each skip moves forward; an unterminated one ends the look).
     */
    static boolean isHwloc(String xml) {
        int at = 0;
        int n = xml.length();
        while (true) {
            while (at < n && Character.isWhitespace(xml.charAt(at))) {
                at++;
            }
            int next;
            if (xml.startsWith("<?", at)) {
                next = end(xml, at + 2, "?>");
            } else if (xml.startsWith("<!--", at)) {
                next = end(xml, at + 4, "-->");
            } else if (xml.startsWith("<!DOCTYPE", at)) {
                next = end(xml, at + 9, ">");
            } else {
                return xml.startsWith("<topology", at);
            }
            if (next < 0) {
                return false;
            }
            at = next;
        }
    }

    /** The position after the first {@code close} from {@code from}, or -1. */
    private static int end(String text, int from, String close) {
        int at = text.indexOf(close, from);
        return at < 0 ? -1 : at + close.length();
    }

    private static boolean isArchive(Path path, String name) throws IOException {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".tar.gz") || n.endsWith(".tgz") || n.endsWith(".tar")) {
            return true;
        }
        try (InputStream in = SafeFiles.open(path)) {
            byte[] head = in.readNBytes(263);
            if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
                return true;
            }
            return head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        }
    }
}
